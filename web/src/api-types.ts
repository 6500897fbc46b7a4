// The API's shapes as this client sends and reads them, derived from the Worker's own route types
// (Hono's InferRequestType and InferResponseType over the typed client): never copied by hand, so
// a change on the server is a compile error here. Where the client adds what it verified, it
// extends these. Types only: web code never loads the Worker's modules.
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { ApiClient } from './api.ts';

type Api = ApiClient['api'];

/** GET /api/orgs: an organisation the caller's works with (the server's word: names, kinds, keys). */
export type Org = InferResponseType<Api['orgs']['$get'], 200>['orgs'][number];
/** GET /api/orgs/{orgId}/relationships: a related organisation with the partner statement a CSO officer signed. */
export type RelatedOrg = InferResponseType<Api['orgs'][':orgId']['relationships']['$get'], 200>['orgs'][number];
/** GET /api/orgs/{orgId}/members. */
export type Member = InferResponseType<Api['orgs'][':orgId']['members']['$get'], 200>['members'][number];
/** GET /api/orgs/{orgId}/roster/proposal: a roster change waiting for co-signatures. */
export type RosterProposal = InferResponseType<Api['orgs'][':orgId']['roster']['proposal']['$get'], 200>['proposals'][number];
/** GET /api/demo/accounts (local demo runs only). */
export type DemoAccount = InferResponseType<Api['demo']['accounts']['$get'], 200>['accounts'][number];

/** GET /api/activations: a request in a list, with each target's status. */
export type ActivationSummary = InferResponseType<Api['activations']['$get'], 200>['activations'][number];
/** GET /api/activations/{hash}: a request with its decisions, releases, rosters and audit chain. */
export type Activation = InferResponseType<Api['activations'][':hash']['$get'], 200>;
export type Release = Activation['releases'][number];
/** An activation request as filed (POST /api/activations): what the requester signs. */
export type ActivationRequestBody = InferRequestType<Api['activations']['$post']>['json']['request'];
/** The area of an activation or relay request: a GeoJSON Polygon or MultiPolygon of [longitude, latitude]. */
export type RequestArea = ActivationRequestBody['area'];

/** GET /api/arrangements/{id}: a break-glass arrangement, its state and audit chain. */
export type Arrangement = InferResponseType<Api['arrangements'][':id']['$get'], 200>;
/** POST /api/arrangements: what the CSO officer proposes (descriptor, signature, sealed shares). */
export type ArrangementBody = InferRequestType<Api['arrangements']['$post']>['json']['arrangement'];

/** GET /api/relays: a relay request in a list. */
export type RelaySummary = InferResponseType<Api['relays']['$get'], 200>['relays'][number];
/** GET /api/relays/{hash}: a relay request with its decisions, report and audit chain. */
export type Relay = InferResponseType<Api['relays'][':hash']['$get'], 200>;
/** A relay request as filed (POST /api/relays): what the requester signs. */
export type RelayRequestBody = InferRequestType<Api['relays']['$post']>['json']['request'];

/** GET /api/plans: a plan in a list. */
export type PlanListItem = InferResponseType<Api['plans']['$get'], 200>['plans'][number];
/** GET /api/plans/{planId}: a plan with its latest version, history, partners and sign-offs. */
export type PlanRecord = InferResponseType<Api['plans'][':planId']['$get'], 200>;
/** GET /api/orgs/{orgId}/summaries: a published privacy-safe summary with its signature. */
export type PublishedSummary = InferResponseType<Api['orgs'][':orgId']['summaries']['$get'], 200>['summaries'][number];
/** POST /api/orgs/{orgId}/summaries: a summary as published. */
export type SummaryBody = InferRequestType<Api['orgs'][':orgId']['summaries']['$post']>['json']['summary'];

/** GET /api/alerts: an imported public alert, its CAP status repeated at the top. */
export type Alert = InferResponseType<Api['alerts']['$get'], 200>['alerts'][number];
/** POST /api/alerts: the imported alert and the earlier ones it updated or cancelled. */
export type AlertImport = InferResponseType<Api['alerts']['$post'], 201>;
/** POST /api/alerts: a CAP document or a GDACS event to import. */
export type AlertBody = InferRequestType<Api['alerts']['$post']>['json'];
/** GET /api/alerts/feeds: a feed the organisation follows, with how the last poll went. */
export type AlertFeed = InferResponseType<Api['alerts']['feeds']['$get'], 200>['feeds'][number];
/** POST /api/alerts/feeds/{feedId}/poll. */
export type FeedPoll = InferResponseType<Api['alerts']['feeds'][':feedId']['poll']['$post'], 200>;
