import type { ComponentType } from "preact";
import AlertRulesEditor from "./AlertRulesEditor.tsx";
import ConnectionBadge from "./ConnectionBadge.tsx";
import DashboardSummary from "./DashboardSummary.tsx";
import IncidentList from "./IncidentList.tsx";
import LiveMonitorTable from "./LiveMonitorTable.tsx";
import MonitorDetail from "./MonitorDetail.tsx";

/** Every island by name: the server renders them into `data-island` markers, the browser hydrates them. */
// deno-lint-ignore no-explicit-any
export const ISLANDS: Record<string, ComponentType<any>> = {
  AlertRulesEditor,
  ConnectionBadge,
  DashboardSummary,
  IncidentList,
  LiveMonitorTable,
  MonitorDetail,
};
