// What every view of the "Hullcheck" activity-bar container provides: an id and a refresh.

import type * as vscode from 'vscode';

export interface HullcheckView extends vscode.Disposable {
  readonly id: string;
  refresh(): Promise<void>;
}
