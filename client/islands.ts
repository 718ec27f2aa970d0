import type { ComponentType } from "preact";
import AlertRulesEditor from "../islands/AlertRulesEditor.tsx";
import ConnectionBadge from "../islands/ConnectionBadge.tsx";
import DashboardSummary from "../islands/DashboardSummary.tsx";
import IncidentList from "../islands/IncidentList.tsx";
import LiveMonitorTable from "../islands/LiveMonitorTable.tsx";
import MonitorDetail from "../islands/MonitorDetail.tsx";

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
