// The working screen's header: organisation and role, connection and sync state, the buttons that
// open the overlays (plans, alerts, relay), the language, sync now and lock.
import { ActivationBadge } from '../activation/ActivationPanel.tsx';
import { m as alertText } from '../alerts/messages.ts';
import { t } from '../i18n/index.ts';
import { m as planText } from '../plans/messages.ts';
import { RelayBadge } from '../relay/RelayBadge.tsx';
import type { Session } from '../session.ts';
import { LanguagePicker } from './LanguagePicker.tsx';
import type { OverlayControls } from './Overlays.tsx';

export interface MainHeaderProps {
  session: Session;
  online: boolean;
  pending: number;
  syncing: boolean;
  overlays: OverlayControls;
  onSync: () => void;
  onLock: () => void;
  onOpenActivation: () => void;
}

export function MainHeader({ session, online, pending, syncing, overlays, onSync, onLock, onOpenActivation }: MainHeaderProps) {
  const isOfficer = session.identity.role === 'officer';
  return (
    <header class="bar">
      <strong class="org" data-testid="org-name">
        {session.identity.orgName}
      </strong>
      <span class="role">{t(isOfficer ? 'role.officer' : 'role.field')}</span>
      <span class={online ? 'online' : 'offline'} data-testid="connection">
        {t(online ? 'header.online' : 'header.offline')}
      </span>
      <span data-testid="pending">{pending ? t('header.pending', { count: pending }) : t('header.synced')}</span>
      {/* A field device reads what capture and sync need, and the public warnings (issue 15, least privilege). */}
      {isOfficer && <ActivationBadge session={session} onOpen={onOpenActivation} />}
      {isOfficer && (
        <button type="button" onClick={overlays.openPlans} data-testid="open-plans">
          {planText('open')}
        </button>
      )}
      <button type="button" onClick={overlays.openAlerts} data-testid="open-alerts">
        {alertText('open')}
      </button>
      {isOfficer && <RelayBadge session={session} onOpen={() => overlays.openRelay(null)} />}
      {isOfficer && (
        <button type="button" onClick={() => overlays.openRelay(null)} data-testid="open-relay">
          {alertText('relay.open')}
        </button>
      )}
      <LanguagePicker compact />
      <button type="button" onClick={onSync} disabled={syncing}>
        {t('header.sync')}
      </button>
      <button type="button" class="secondary" onClick={onLock}>
        {t('header.lock')}
      </button>
    </header>
  );
}
