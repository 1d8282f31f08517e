import type { ParamError } from '@/lib/filters.ts';

/** A bad URL parameter, said plainly instead of an error page. */
export function ParamErrorMessage({ error }: { error: ParamError }) {
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-300">
      Invalid {error.param}: {error.message}
    </p>
  );
}
