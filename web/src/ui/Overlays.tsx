// The screens that open over the working screen: contingency plans, alerts, and relayed messages
// (which an alert can open with a draft). Each opens and closes on its own.
import { useState } from 'preact/hooks';
import { AlertsWorkspace, type RelayDraft } from '../alerts/AlertsWorkspace.tsx';
import { PlansWorkspace } from '../plans/PlansWorkspace.tsx';
import { RelayWorkspace } from '../relay/RelayWorkspace.tsx';
import type { Session } from '../session.ts';

export interface OverlayControls {
  plansOpen: boolean;
  alertsOpen: boolean;
  /** The relay screen when open, with the draft an alert started, if any. */
  relay: { draft: RelayDraft | null } | null;
  openPlans: () => void;
  closePlans: () => void;
  openAlerts: () => void;
  closeAlerts: () => void;
  openRelay: (draft: RelayDraft | null) => void;
  closeRelay: () => void;
}

export function useOverlays(): OverlayControls {
  const [plansOpen, setPlansOpen] = useState(false);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const [relay, setRelay] = useState<{ draft: RelayDraft | null } | null>(null);
  return {
    plansOpen,
    alertsOpen,
    relay,
    openPlans: () => setPlansOpen(true),
    closePlans: () => setPlansOpen(false),
    openAlerts: () => setAlertsOpen(true),
    closeAlerts: () => setAlertsOpen(false),
    openRelay: (draft) => setRelay({ draft }),
    closeRelay: () => setRelay(null),
  };
}

export interface OverlaysProps {
  session: Session;
  overlays: OverlayControls;
  /** An alert's link to the activation tab of the working screen. */
  onOpenActivation: () => void;
}

export function Overlays({ session, overlays, onOpenActivation }: OverlaysProps) {
  return (
    <>
      {overlays.plansOpen && <PlansWorkspace session={session} onClose={overlays.closePlans} />}
      {overlays.alertsOpen && (
        <AlertsWorkspace
          session={session}
          onClose={overlays.closeAlerts}
          onDraftRelay={(draft) => {
            overlays.closeAlerts();
            overlays.openRelay(draft);
          }}
          onOpenActivation={() => {
            overlays.closeAlerts();
            onOpenActivation();
          }}
        />
      )}
      {overlays.relay && <RelayWorkspace session={session} draft={overlays.relay.draft} onClose={overlays.closeRelay} />}
    </>
  );
}
