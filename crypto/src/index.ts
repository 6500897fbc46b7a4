// The crypto package. Modules marked "WebCrypto" never load libsodium and are safe in the Worker;
// import them directly (#crypto/canonical, #crypto/webcrypto, #crypto/encoding, ...) from the API.
export { ready } from './sodium.ts';
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors.ts';
export { toBase64, fromBase64, toHex, fromHex, utf8, fromUtf8 } from './encoding.ts';
export { canonicalize } from './canonical.ts';
export { verifyEd25519, sha256, isWeakEd25519PublicKey } from './webcrypto.ts';
export {
  generateMemberKeys,
  lockMemberKeys,
  unlockMemberKeys,
  wipeMemberKeys,
  sign,
  verify,
  DEFAULT_OPS_LIMIT,
  DEFAULT_MEM_LIMIT,
  type MemberKeys,
  type LockedMemberKeys,
} from './members.ts';
export { generateOrgKeys, wrapOrgKey, unwrapOrgKey, orgKeyId, type OrgKeys } from './org.ts';
export { sealDeviceProfile, openDeviceProfile } from './device-profile.ts';
export {
  newInvitationSecret,
  invitationBinding,
  checkInvitationBinding,
  memberFingerprint,
  INVITATION_SECRET_PATTERN,
  type BoundMember,
} from './invitation-binding.ts';
export {
  openSealingSession,
  sealRecord,
  closeSealingSession,
  createRecordOpener,
  closeRecordOpener,
  openRecord,
  openAuthoredRecord,
  readRecordBody,
  authorHeader,
  AUTHOR_HEADER_BYTES,
  sealJson,
  openJson,
  type SealingSession,
  type RecordOpener,
  type RecordAuthor,
  type AuthoredRecord,
} from './records.ts';
export { bucketLength } from './padding.ts';
export { releaseWorkspace } from './aead.ts';
export {
  verifyChain,
  entryBytes,
  GENESIS_HASH,
  type AuditEntry,
  type AuditEntryInput,
  type AuditActor,
  type ChainResult,
  type AuditBreak,
  type VerifyChainOptions,
} from './audit.ts';
export { appendEntry } from './audit-append.ts';
export {
  requestBytes,
  requestHash,
  decisionBytes,
  verifyRequestSignature,
  verifyApprovals,
  type ActivationRequest,
  type Decision,
  type DecisionKind,
  type ApprovalResult,
} from './activation.ts';
export { requestHashSync, newRequestNonce, signRequest, signDecision } from './activation-sign.ts';
export {
  parseBundle,
  verifyBundleManifest,
  BUNDLE_FORMAT,
  DEFAULT_CHUNK_SIZE,
  type BundleManifest,
  type BundleExpectations,
  type ParsedBundle,
} from './bundle-manifest.ts';
export {
  createBundle,
  openBundle,
  assembleBundle,
  writeBundle,
  bundlePayload,
  minimise,
  chunkAssociatedData,
  RECORDS_FORMAT,
  type BundleInput,
  type OpenedBundle,
  type ReleasedRecord,
} from './bundle.ts';
export {
  breakGlassStatus,
  verifyArrangement,
  arrangementBytes,
  ARRANGEMENT_FORMAT,
  type ArrangementDescriptor,
  type BreakGlassStatus,
} from './breakglass-policy.ts';
export {
  createArrangement,
  recoverArrangementKey,
  openArrangementEscrow,
  openArrangementSession,
  closeArrangementSession,
  wrapForArrangement,
  createArrangementOpener,
  openWithArrangement,
  ARRANGEMENT_WRAP_BYTES,
  type Arrangement,
  type ArrangementSession,
  type ArrangementOpener,
} from './breakglass.ts';
export {
  splitOrgKey,
  recoverOrgKey,
  parseRecoveryShare,
  encodeRecoveryShare,
  recoveryShareQrSvg,
  recoveryShareQrDataUrl,
  type RecoveryShare,
} from './recovery.ts';
export {
  rotateOrgKey,
  rewrapRecords,
  wrapOrgKeyForMembers,
  sameBody,
  type StoredRecord,
  type MemberBoxKey,
  type RewrapOptions,
} from './rotation.ts';
export {
  checkRecordEnvelopeShape,
  checkArrangementWrapShape,
  RECORD_ENVELOPE_HEADER_BYTES,
  ARRANGEMENT_WRAP_LENGTH,
  type ShapeResult,
} from './envelope-shape.ts';
