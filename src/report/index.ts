/** The HTML report and the live page: data shaped for charts, rendered with a bundled echarts. */
export { shapeReport, HIGHLIGHTED, MAX_CURVES, MAX_CURVE_POINTS } from './shape.js';
export { isReportPage, renderPage, type PageOptions } from './page.js';
export { permutationImportance, IMPORTANCE_METHOD } from './importance.js';
export type { ReportData, ReportInput } from './types.js';
export { startLiveServer, POLL_INTERVAL_MS, type LiveServer, type LoadInput } from './server.js';
