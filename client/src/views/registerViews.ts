// Every view of the "Hullcheck" activity-bar container. Each view is a class with an id and refresh();
// later views (budgets, health, vulnerabilities) are added to the list here and to package.json.

import type { HullcheckView } from './hullcheckView';
import type { HullcheckContext } from '../context';
import { FindingsView } from './findings';
import { BudgetsView } from './budgets';
import { EngineStatusItem } from './engineStatus';
import { HealthView } from './health';
import { TrivyView } from './trivy';

export function registerViews(ctx: HullcheckContext): HullcheckView[] {
  const views: HullcheckView[] = [new FindingsView(ctx)];
  views.push(new BudgetsView(ctx), new HealthView(ctx), new EngineStatusItem(ctx));
  views.push(new TrivyView(ctx));
  ctx.push(...views);
  return views;
}
