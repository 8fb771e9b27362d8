/**
 * mapletree/study: the headline study — fork fails at every point while walkers race it, under each
 * kernel configuration — with its scenarios, directed scripts, the fork-exit model, the cell runner
 * and the table and HTML renderings.
 */
export {
  buildScenario, parentVmaCount, walkerNotApplicable, DEFAULT_PARENT, DEFAULT_UPROBE, DEFAULT_UFFD, WALKER_NAMES, WALKER_FAILURES, EXTRA_WALKERS, ALL_WALKERS,
  type ParentProcess, type ScenarioOptions, type ScenarioWorld, type WalkerName,
} from './scenario.js';
export {
  runScript, dupMmapReturned, forkEventQueued, swapoffOops, uprobeCrash, uffdEventCrash, uffdWithdrawCrash, scannerCrash,
  type ScriptStep, type ScriptedRun,
} from './script.js';
export { forkExitModel, FORK_EXIT_MODEL, VARIANT_GRAMMAR, variantName, walkersName, parseVariant, type FailureKind, type ParsedVariant } from './model.js';
export { runStudy, studyCell, unreachableReason, STUDY_CONFIGURATIONS, type CellOutcome, type StudyCell, type StudyOptions, type StudyProgress, type StudyResult } from './study.js';
export { SWAP_BELOW_TEXT_PARENT, SWAP_BELOW_TEXT_DATA_VMA } from './parents.js';
export type { CellCompression } from './compressed-cell.js';
export { COMBINATION_SCOPES, type Combination, type CombinationScope } from './combinations.js';
export { runCells, type CellRequest, type RunCellsOptions } from './run-cells.js';
export { studyTable, cellText, type StudyTableOptions } from './table.js';
export { studyHtml, writeStudyReport, cellPage, type StudyHtmlOptions } from './html.js';
export { writeTraceReport } from './report-traces.js';
export { studyJson } from './json.js';
