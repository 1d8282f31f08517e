import type { ParamError } from '@/lib/filters.ts';
import { WithoutParamLink } from './without-param-link.tsx';

/**
 * A bad URL parameter, said plainly instead of an error page, with a way out: the same screen
 * without that parameter (the page has no controls to fix it with; only Back led away).
 */
export function ParamErrorMessage({ error }: { error: ParamError }) {
  return (
    <div className="text-sm">
      <p role="alert" className="text-red-700 dark:text-red-300">
        Invalid {error.param}: {error.message}
      </p>
      <WithoutParamLink param={error.param} />
    </div>
  );
}
