/**
 * mapletree/study: the headline study — fork fails at every point while walkers race it, under each
 * kernel configuration — with its scenarios, directed scripts, the fork-exit model, the cell runner
 * and the table and HTML renderings.
 */
export { buildScenario, parentVmaCount, DEFAULT_PARENT, DEFAULT_UPROBE, WALKER_NAMES, type ScenarioOptions, type ScenarioWorld, type WalkerName } from './scenario.js';
export { runScript, dupMmapReturned, swapoffOops, uprobeCrash, type ScriptStep, type ScriptedRun } from './script.js';
export { forkExitModel, FORK_EXIT_MODEL, variantName, parseVariant, type FailureKind } from './model.js';
export { runStudy, studyCell, STUDY_CONFIGURATIONS, type StudyCell, type StudyOptions, type StudyProgress, type StudyResult } from './study.js';
export { runCells, type CellRequest, type RunCellsOptions } from './run-cells.js';
export { studyTable, cellText, type StudyTableOptions } from './table.js';
export { studyHtml, writeStudyReport, cellPage, type StudyHtmlOptions } from './html.js';
export { writeTraceReport } from './report-traces.js';
export { studyJson } from './json.js';
