import type { ComponentType } from "preact";
import { hydrateIslands } from "../client/hydrate.ts";
import AccountSettings from "./AccountSettings.tsx";
import AlertRulesEditor from "./AlertRulesEditor.tsx";
import ApiKeys from "./ApiKeys.tsx";
import ConnectionBadge from "./ConnectionBadge.tsx";
import DashboardSummary from "./DashboardSummary.tsx";
import IncidentList from "./IncidentList.tsx";
import LiveMonitorTable from "./LiveMonitorTable.tsx";
import MaintenanceEditor from "./MaintenanceEditor.tsx";
import MonitorDetail from "./MonitorDetail.tsx";
import NotificationChannels from "./NotificationChannels.tsx";
import StatusPagesEditor from "./StatusPagesEditor.tsx";
import TeamMembers from "./TeamMembers.tsx";
import TenantSwitcher from "./TenantSwitcher.tsx";

/**
 * The islands' public face and the browser bundle's entry (`deno task bundle`):
 * every island by name. The server renders them into `data-island` markers
 * (`web/island.tsx`); in the browser this module hydrates them.
 */
// deno-lint-ignore no-explicit-any
export const ISLANDS: Record<string, ComponentType<any>> = {
  AccountSettings,
  AlertRulesEditor,
  ApiKeys,
  ConnectionBadge,
  DashboardSummary,
  IncidentList,
  LiveMonitorTable,
  MaintenanceEditor,
  MonitorDetail,
  NotificationChannels,
  StatusPagesEditor,
  TeamMembers,
  TenantSwitcher,
};

if (typeof document !== "undefined") hydrateIslands(ISLANDS);
