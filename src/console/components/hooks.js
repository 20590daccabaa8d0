/* global setTimeout, clearTimeout */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api.js';

/**
 * Loads `path` (GET) and re-loads it when `path` changes; with `pollMs`, again every pollMs while
 * `keepPolling(data)` says so (e.g. while a run is in progress).
 */
export function useApi(path, opts = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const timer = useRef();
  const alive = useRef(true);
  // The latest options (keepPolling closes over page state that changes between renders).
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const load = useCallback(async () => {
    if (!path) return;
    try {
      const data = await get(path);
      if (!alive.current) return;
      setState({ data, error: undefined, loading: false });
      const o = optsRef.current;
      clearTimeout(timer.current);
      if (o.pollMs && (!o.keepPolling || o.keepPolling(data))) timer.current = setTimeout(load, o.pollMs);
    } catch (error) {
      if (alive.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [path, opts.pollMs]);
  useEffect(() => {
    alive.current = true;
    setState((s) => ({ ...s, loading: true }));
    load();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [load]);
  const reload = useCallback(() => {
    clearTimeout(timer.current);
    return load();
  }, [load]);
  return { ...state, reload };
}

/** Runs an async action with a busy flag and its error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState();
  const run = useCallback(async (fn) => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

/** A value that settles `ms` after its last change (live validation while typing). */
export function useDebounced(value, ms) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}
