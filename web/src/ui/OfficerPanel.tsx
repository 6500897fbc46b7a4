// Officers: invite members and hand the org key to new officers.
import { useEffect, useState } from 'preact/hooks';
import { memberFingerprint, newInvitationSecret, toBase64 } from '#crypto';
import { expectOk } from '../api.ts';
import { t } from '../i18n/index.ts';
import { cosignWaitingChange, newcomersOf, ownRosterHead, waitingChanges, withdrawWaitingChange, type WaitingChange } from '../roster.ts';
import { loadPin } from '../roster-trust.ts';
import type { RosterStatement } from '#crypto/roster';
import { admitFieldDevice, grantOrgKey, removeMember, rotateOrgKey, setApprovalsRequired } from '../officers.ts';
import { connect, type Session } from '../session.ts';
import { boundByOwnInvitations, keepInvitationSecret } from '../invitation-secrets.ts';
import { formatInvitation } from './invitation.ts';
import type { Member } from '../api-types.ts';

/** Whose keys are checked: a listed member, or a newcomer of a waiting change with the keys it would sign in. */
type Keyed = Pick<Member, 'id' | 'role' | 'signPublicKey' | 'boxPublicKey'> & { keyBinding?: string | null };
const keysOf = (member: Keyed) => `${member.id}|${member.signPublicKey}|${member.boxPublicKey}`;

/** `refreshKey` changes after each sync, so new members show up. */
export function OfficerPanel({ session, refreshKey }: { session: Session; refreshKey: number }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [invitation, setInvitation] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A roster change (officer added or removed, new k) waits here until k officers have signed it.
  const [waiting, setWaiting] = useState<WaitingChange[]>([]);
  const [approvals, setApprovals] = useState<number | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // The verified statement head: which field devices officers' devices accept records from.
  const [head, setHead] = useState<RosterStatement | null>(null);
  // Set when an officer was removed here: their device still holds the org key (decision 0606).
  const [suggestRotation, setSuggestRotation] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  // The officer being removed, while this officer says why (lost or seized, or left).
  const [removing, setRemoving] = useState<string | null>(null);
  // Newcomers whose keys are bound to an invitation this device made (by id and keys); and those
  // whose fingerprint the officer compared by hand (the only two ways their keys are used: issue 14).
  const [bound, setBound] = useState<Record<string, boolean>>({});
  // memberId -> the fingerprint the officer compared (it counts only while the keys still give it).
  const [compared, setCompared] = useState<Record<string, string>>({});
  const orgId = session.identity.orgId;

  async function refresh() {
    try {
      const api = await connect(session);
      const listed = (await expectOk(await api.api.orgs[':orgId'].members.$get({ param: { orgId } }))).members;
      setMembers(listed);
      // k as the verified roster says (the form starts from it; signing builds on it).
      const changes = session.orgKeys ? await waitingChanges(session) : [];
      if (session.orgKeys) {
        const verified = await ownRosterHead(session);
        setHead(verified);
        setApprovals(verified.approvalsRequired);
        setWaiting(changes);
      }
      // In order: a secret binds the first member it matches and nobody after it.
      const checked = [...listed, ...changes.flatMap((change) => newcomersOf(change.change, listed))].filter(
        (member) => member.boxPublicKey,
      );
      const boundNow = await boundByOwnInvitations(orgId, checked);
      setBound(Object.fromEntries(checked.map((member, index) => [keysOf(member), boundNow[index]!])));
    } catch (reason) {
      setError((reason as Error).message);
    }
  }
  useEffect(() => void refresh(), [refreshKey]);

  async function onInvite(event: Event) {
    event.preventDefault();
    const role = new FormData(event.target as HTMLFormElement).get('role') as 'officer' | 'field';
    try {
      const api = await connect(session);
      const created = await expectOk(
        await api.api.orgs[':orgId'].invitations.$post({ param: { orgId }, json: { role, expiresInHours: 72 } }),
      );
      // The invitation carries the org key this officer holds, so the new device pins it (issue 14).
      const orgPublicKey = session.orgKeys ? toBase64(session.orgKeys.publicKey) : session.identity.orgPublicKey;
      // ...the statement head this device verified, so the new device pins what this officer saw, and
      // the role this officer chose (not the server's echo of it).
      // ...and a secret the server never sees, kept here: the new device MACs its keys with it, and
      // this device checks that MAC before sealing the org key to them (issue 14).
      const secret = newInvitationSecret();
      await keepInvitationSecret(secret, role);
      setInvitation(formatInvitation(orgId, created.code, orgPublicKey, await loadPin(orgId), role, secret));
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  const fingerprintOf = (member: Keyed) => (member.boxPublicKey ? memberFingerprint(member.signPublicKey, member.boxPublicKey) : '');
  const usable = (member: Keyed) =>
    bound[keysOf(member)] === true || (compared[member.id] !== undefined && compared[member.id] === fingerprintOf(member));
  /** Bound to this device's invitation, or the fingerprint to compare by hand and a box to say it was. */
  const keyCheck = (member: Keyed) =>
    bound[keysOf(member)] ? (
      <em class="hint" data-testid="keys-bound">
        {' '}
        ({t('officer.keysBound')}){' '}
      </em>
    ) : (
      <span class="hint" data-testid="device-key-fingerprint">
        {' '}
        {t('officer.admitHint', { fingerprint: fingerprintOf(member) })}{' '}
        <label class="check">
          <input
            type="checkbox"
            data-testid="fingerprint-compared"
            checked={compared[member.id] === fingerprintOf(member)}
            onChange={(event) => {
              const { [member.id]: _previous, ...others } = compared;
              setCompared((event.target as HTMLInputElement).checked ? { ...others, [member.id]: fingerprintOf(member) } : others);
            }}
          />{' '}
          {t('officer.fingerprintCompared')}
        </label>{' '}
      </span>
    );

  // An officer who holds the org key (in the statement) leaves: the app asks why, because a device
  // lost or seized must not keep a key anything new is sealed to (decision 0606).
  // (Either source is enough to ask: the removal itself is built on the verified head.)
  const holdsOrgKey = (member: Member) =>
    member.role === 'officer' && (member.hasOrgKey || !!head?.officers.some((officer) => officer.memberId === member.id));

  async function onRemove(member: Member, reason?: 'seized' | 'left') {
    if (session.orgKeys && holdsOrgKey(member) && !reason) {
      setRemoving(member.id);
      return;
    }
    if (!reason && !confirm(t('officer.removeConfirm', { member: member.label }))) return;
    setRemoving(null);
    try {
      const rotate = reason === 'seized';
      const result = await removeMember(session, member, { rotate });
      if ('proposal' in result) setSaved(t('officer.waitingForOthers', { needed: result.proposal.needed }));
      if (rotate)
        setRotated(
          'proposal' in result
            ? t('officer.waitingForOthers', { needed: result.proposal.needed })
            : t('officer.rotated', { version: (head?.version ?? 0) + 1 }),
        );
      else if (member.role === 'officer' && session.orgKeys) setSuggestRotation(true);
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onApprovals(event: Event) {
    event.preventDefault();
    const k = Number(new FormData(event.target as HTMLFormElement).get('approvals'));
    setSaved(null);
    try {
      const { statement, waiting: mustWait } = await setApprovalsRequired(session, k);
      if (mustWait) setSaved(t('officer.waitingForOthers', { needed: '' }));
      else {
        setApprovals(statement.approvalsRequired);
        setSaved(t('officer.approvalsSaved', { k: statement.approvalsRequired, version: statement.version }));
      }
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onGrant(member: Member) {
    try {
      const result = await grantOrgKey(session, member, { comparedFingerprint: compared[member.id] });
      if ('proposal' in result) setSaved(t('officer.waitingForOthers', { needed: result.proposal.needed }));
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onAdmit(member: Member) {
    try {
      const result = await admitFieldDevice(session, member, { comparedFingerprint: compared[member.id] });
      if ('proposal' in result) setSaved(t('officer.waitingForOthers', { needed: result.proposal.needed }));
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onRotate() {
    if (!confirm(t('officer.rotateConfirm'))) return;
    setRotated(null);
    try {
      const result = await rotateOrgKey(session);
      setSuggestRotation(false);
      setRotated(
        'proposal' in result
          ? t('officer.waitingForOthers', { needed: result.proposal.needed })
          : t('officer.rotated', { version: result.version }),
      );
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onCosign(change: WaitingChange) {
    try {
      const checks = Object.fromEntries(
        Object.entries(compared).map(([memberId, fingerprint]) => [memberId, { comparedFingerprint: fingerprint }]),
      );
      const applied = await cosignWaitingChange(session, change, checks, members);
      setSaved(t(applied ? 'officer.pending.applied' : 'officer.pending.signed'));
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  async function onWithdraw(change: WaitingChange) {
    try {
      await withdrawWaitingChange(session, change);
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  const labelOf = (memberId: string) => members.find((member) => member.id === memberId)?.label ?? memberId.slice(0, 8);

  return (
    <section class="card officer" data-testid="officer-panel">
      <h2>{t('officer.invite')}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={onInvite} class="inline">
        <label>
          {t('officer.inviteRole')}
          <select name="role">
            <option value="field">{t('role.field')}</option>
            <option value="officer">{t('role.officer')}</option>
          </select>
        </label>
        <button type="submit">{t('officer.inviteCreate')}</button>
      </form>
      {invitation && (
        <p>
          {t('officer.inviteShow')} <code data-testid="invitation">{invitation}</code>
        </p>
      )}
      {session.orgKeys && approvals !== null && (
        <form onSubmit={onApprovals} class="inline" data-testid="approvals-form">
          <label>
            {t('officer.approvals')}
            <input type="number" name="approvals" min={1} max={20} required value={approvals} key={approvals} />
          </label>
          <button type="submit">{t('officer.approvalsSave')}</button>
          {saved && (
            <span class="ok" role="status" data-testid="approvals-saved">
              {saved}
            </span>
          )}
        </form>
      )}
      {session.orgKeys && (
        <div class={suggestRotation ? 'rotation warning' : 'rotation'} data-testid="rotation">
          {suggestRotation && (
            <p role="alert" data-testid="rotation-suggested">
              {t('officer.rotateAfterRemoval')}
            </p>
          )}
          <p class="hint">{t('officer.rotateHint')}</p>
          <button type="button" data-testid="rotate-org-key" onClick={onRotate}>
            {t('officer.rotate')}
          </button>
          {rotated && (
            <span class="ok" role="status" data-testid="rotation-status">
              {' '}
              {rotated}
            </span>
          )}
        </div>
      )}
      {waiting.map((waiting) => (
        <div class="pending-change" data-testid="roster-proposal" data-version={String(waiting.version)} key={waiting.hash}>
          <h2>{t('officer.pending.title')}</h2>
          <ul>
            {newcomersOf(waiting.change, members).map((newcomer) => (
              <li key={`+${newcomer.id}`} data-testid="pending-newcomer">
                {t(newcomer.role === 'officer' ? 'officer.pending.added' : 'officer.pending.deviceAdded', { member: labelOf(newcomer.id) })}
                {!waiting.signers.includes(session.identity.memberId) && keyCheck(newcomer)}
              </li>
            ))}
            {waiting.change?.removed.map((officer) => (
              <li key={`-${officer.memberId}`}>{t('officer.pending.removed', { member: labelOf(officer.memberId) })}</li>
            ))}
            {waiting.change?.approvalsRequired && (
              <li>{t('officer.pending.k', { from: waiting.change.approvalsRequired.from, to: waiting.change.approvalsRequired.to })}</li>
            )}
            {waiting.change?.orgPublicKey && <li data-testid="pending-rotation">{t('officer.pending.rotation')}</li>}
            {waiting.change?.retentionDays && (
              <li data-testid="pending-retention">
                {t('officer.pending.retention', {
                  from: waiting.change.retentionDays.from ?? t('officer.pending.retentionDefault'),
                  to: waiting.change.retentionDays.to ?? t('officer.pending.retentionDefault'),
                })}
              </li>
            )}
          </ul>
          <p data-testid="roster-proposal-signatures">
            {t('officer.pending.signatures', {
              have: waiting.signers.length,
              needed: waiting.needed,
              proposer: labelOf(waiting.proposedBy),
            })}
          </p>
          {waiting.problem && (
            <p class="error" role="alert">
              {t('officer.pending.problem', { problem: waiting.problem })}
            </p>
          )}
          {!waiting.signers.includes(session.identity.memberId) && !waiting.problem && (
            <button
              type="button"
              class="primary"
              disabled={!newcomersOf(waiting.change, members).every(usable)}
              onClick={() => onCosign(waiting)}
            >
              {t('officer.pending.cosign')}
            </button>
          )}{' '}
          {waiting.proposedBy === session.identity.memberId && (
            <button type="button" class="secondary" onClick={() => onWithdraw(waiting)}>
              {t('officer.pending.withdraw')}
            </button>
          )}
        </div>
      ))}
      <h2>{t('officer.members')}</h2>
      <ul class="members">
        {members.map((member) => (
          <li key={member.id}>
            {member.label} · {t(member.role === 'officer' ? 'role.officer' : 'role.field')}
            {member.role === 'officer' && member.status === 'active' && !member.hasOrgKey && session.orgKeys && (
              <>
                {keyCheck(member)}
                <button type="button" disabled={!usable(member)} onClick={() => onGrant(member)}>
                  {t('officer.grant')}
                </button>
              </>
            )}
            {member.role === 'officer' && member.status === 'active' && !member.hasOrgKey && <em> ({t('officer.noKey')})</em>}
            {member.role === 'field' &&
              member.status === 'active' &&
              head &&
              !(head.fieldDevices ?? []).some((device) => device.memberId === member.id) && (
                <>
                  <em> ({t('officer.notAdmitted')})</em>
                  {keyCheck(member)}
                  <button type="button" data-testid="admit-device" disabled={!usable(member)} onClick={() => onAdmit(member)}>
                    {t('officer.admit')}
                  </button>
                </>
              )}
            {member.status !== 'active' && <em> ({t('officer.removed')})</em>}
            {member.status === 'active' && member.id !== session.identity.memberId && removing !== member.id && (
              <button type="button" class="danger small" data-testid="remove-member" onClick={() => onRemove(member)}>
                {t('officer.remove')}
              </button>
            )}
            {removing === member.id && (
              /* biome-ignore lint/a11y/useSemanticElements: a fieldset would add its own border and legend rules to a panel that already has a heading */
              <div class="remove-why" data-testid="remove-why" role="group" aria-label={t('officer.removeWhy', { member: member.label })}>
                <p>{t('officer.removeWhy', { member: member.label })}</p>
                <button type="button" class="danger" data-testid="remove-seized" onClick={() => onRemove(member, 'seized')}>
                  {t('officer.removeSeized')}
                </button>{' '}
                <button type="button" class="secondary" data-testid="remove-left" onClick={() => onRemove(member, 'left')}>
                  {t('officer.removeLeft')}
                </button>{' '}
                <button type="button" class="secondary" onClick={() => setRemoving(null)}>
                  {t('officer.removeCancel')}
                </button>
                <p class="hint">{t('officer.removeSeizedHint')}</p>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
