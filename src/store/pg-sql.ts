/** The SQL of PgStorage, one constant a statement (PostgreSQL dialect; $n parameters). */
import { INTERRUPTIONS_ATTR } from '../core/attempts.js';

const TRIAL_COLUMNS = 'id, study_id, number, state, value, seed, attempt, started, finished, heartbeat, worker, error';
const RETURNED_TRIAL = TRIAL_COLUMNS.split(', ').map((c) => `trials.${c}`).join(', ');
/** What a trial's parameters and attributes are returned as, beside its row: json arrays of their rows. */
const PARAMS_JSON = "(SELECT COALESCE(json_agg(p), '[]') FROM trial_params p WHERE p.trial_id = u.id) AS params";
/** Study $1's trial count and next trial number, as columns of a row. */
const ALLOCATION_COLUMNS = `(SELECT COUNT(*)::int FROM trials WHERE study_id = $1) AS count,
                (SELECT COALESCE(MAX(number) + 1, 0)::int FROM trials WHERE study_id = $1) AS next`;
const METRIC_COLUMNS = 'train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds';

/** A claim statement ($1 study, $2 worker, $3 attrs kept) of the first trial that meets `where`. */
function claimWhere(where: string): string {
  return `WITH c AS (SELECT id FROM trials WHERE study_id = $1 AND ${where}
             ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED),
           u AS (UPDATE trials SET state = 'running', attempt = attempt + 1, worker = $2, started = now(), heartbeat = now(),
                   finished = NULL, value = NULL, error = NULL FROM c WHERE trials.id = c.id RETURNING ${RETURNED_TRIAL}),
           de AS (DELETE FROM trial_epochs e USING c WHERE e.trial_id = c.id),
           da AS (DELETE FROM trial_attrs a USING c WHERE a.trial_id = c.id AND NOT (a.key = ANY($3::text[])))
           SELECT (SELECT COUNT(*) FROM studies WHERE id = $1)::int AS study, u.*, ${PARAMS_JSON},
             (SELECT COALESCE(json_agg(a), '[]') FROM trial_attrs a WHERE a.trial_id = u.id AND a.key = ANY($3::text[])) AS attrs
           FROM (SELECT 1) AS one LEFT JOIN u ON true`;
}

/**
 * A batch of epochs in one statement (one round trip): the trial row is locked against a
 * concurrent claim, and the rows go in only while the trial is unfinished and, with an
 * owner ($3, $4), running under that owner and attempt. Returns the trial row (none when
 * it does not exist) and how many rows went in.
 */
function appendEpochs(onConflict: string): string {
  return `WITH t AS (SELECT id, state, worker, attempt FROM trials WHERE study_id = $1 AND number = $2 FOR SHARE),
                 ins AS (
                   INSERT INTO trial_epochs (trial_id, epoch, ${METRIC_COLUMNS}, extra)
                   SELECT t.id, e.* FROM t, unnest($5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[],
                                                $10::float8[], $11::float8[], $12::text[]) AS e
                   WHERE t.state NOT IN ('complete', 'pruned', 'diverged', 'failed')
                     AND ($3::text IS NULL OR (t.state = 'running' AND t.worker = $3 AND t.attempt = $4))
                   ${onConflict} RETURNING 1)
                 SELECT t.state, t.worker, t.attempt, (SELECT COUNT(*)::int FROM ins) AS inserted FROM t`;
}

/** See SQL.insertTrial; `within` bounds the candidate taken. */
function insertTrial(within: string): string {
  return `WITH chk AS (SELECT COUNT(*)::int AS count, COALESCE(MAX(number) + 1, 0)::int AS next FROM trials WHERE study_id = $1),
          pick AS (SELECT chk.next - $2 AS k FROM chk WHERE chk.next >= $2 AND ${within} AND ($12::int IS NULL OR chk.count < $12)),
          u AS (INSERT INTO trials (study_id, number, state, seed, attempt, started, heartbeat, worker)
            SELECT $1, $2 + pick.k, 'running', ($3::bigint[])[pick.k + 1], 1, now(), now(), $4 FROM pick
            ON CONFLICT (study_id, number) DO NOTHING RETURNING ${TRIAL_COLUMNS}),
          p AS (INSERT INTO trial_params (trial_id, name, value, distribution)
            SELECT u.id, x.name, x.value, x.distribution FROM u, pick,
              unnest($5::int[], $6::text[], $7::text[], $8::text[]) AS x(k, name, value, distribution) WHERE x.k = pick.k),
          a AS (INSERT INTO trial_attrs (trial_id, key, value)
            SELECT u.id, x.key, x.value FROM u, pick, unnest($9::int[], $10::text[], $11::text[]) AS x(k, key, value) WHERE x.k = pick.k)
          SELECT chk.count, chk.next, u.* FROM chk LEFT JOIN u ON true`;
}

export const SQL = {
  insertStudy: `INSERT INTO studies (name, spec_text, spec_hash, spec_json, direction, metric, seed)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
  studyById: 'SELECT * FROM studies WHERE id = $1',
  studyByName: 'SELECT * FROM studies WHERE name = $1',
  allStudies: 'SELECT * FROM studies ORDER BY id',
  stateCounts: 'SELECT study_id, state, COUNT(*)::int AS n FROM trials GROUP BY study_id, state',
  completeRange: `SELECT study_id, MIN(value) AS lo, MAX(value) AS hi FROM trials
                  WHERE state = 'complete' AND value IS NOT NULL AND value <> 'NaN' GROUP BY study_id`,
  updateSpec: 'UPDATE studies SET spec_text = $1, spec_hash = $2, spec_json = $3 WHERE id = $4 RETURNING id',
  /** The study's attrs set to $1 only while they are still $3 (a read-modify-write that holds no lock between). */
  updateStudyAttrs: 'UPDATE studies SET attrs = $1 WHERE id = $2 AND attrs = $3 RETURNING id',

  trialByNumber: `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND number = $2`,
  /** A trial's attrs $3/$4 merged in one statement, only while it is unfinished; returns its state (no row: no trial). */
  setTrialAttrs: `WITH t AS (SELECT id, state FROM trials WHERE study_id = $1 AND number = $2 FOR UPDATE),
                  a AS (INSERT INTO trial_attrs (trial_id, key, value) SELECT t.id, x.* FROM t, unnest($3::text[], $4::text[]) AS x
                        WHERE t.state NOT IN ('complete', 'pruned', 'diverged', 'failed')
                        ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value)
                  SELECT t.state FROM t`,
  /** The best complete trials with a number for a value (±Infinity included; NaN sorts apart), ties by number. */
  rankMinimize: `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND state = 'complete'
                 AND value IS NOT NULL AND value <> 'NaN' ORDER BY value ASC, number LIMIT $2`,
  rankMaximize: `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND state = 'complete'
                 AND value IS NOT NULL AND value <> 'NaN' ORDER BY value DESC, number LIMIT $2`,
  /** Complete trials without a usable value (null or NaN), ranked after the others by number. */
  rankUnvalued: `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND state = 'complete'
                 AND (value IS NULL OR value = 'NaN') ORDER BY number LIMIT $2`,
  trialsOfStudy: `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 ORDER BY number`,
  paramsOfTrial: 'SELECT * FROM trial_params WHERE trial_id = $1',
  attrsOfTrial: 'SELECT * FROM trial_attrs WHERE trial_id = $1',
  paramsOfStudy: 'SELECT p.* FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE t.study_id = $1',
  attrsOfStudy: 'SELECT a.* FROM trial_attrs a JOIN trials t ON t.id = a.trial_id WHERE t.study_id = $1 AND NOT (a.key = ANY($2::text[]))',
  /**
   * The trials of study $1 in states $2 (the unfinished few an orphan scan reads) with their
   * parameters and attributes (all but keys $3) as json arrays, in one statement (one round
   * trip, one snapshot). One row at least: `study` 0 when the study does not exist; a row
   * with a null id when no trial is in those states.
   */
  trialsInStates: `SELECT (SELECT COUNT(*) FROM studies WHERE id = $1)::int AS study, u.*, ${PARAMS_JSON},
                     (SELECT COALESCE(json_agg(a), '[]') FROM trial_attrs a WHERE a.trial_id = u.id AND NOT (a.key = ANY($3::text[]))) AS attrs
                   FROM (SELECT 1) AS one
                   LEFT JOIN (SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND state = ANY($2::text[])) AS u ON true
                   ORDER BY u.number`,
  /**
   * The claim in one statement (one round trip): the lowest-numbered claimable trial — an
   * interrupted or waiting one, or one running under a gone owner ($5) or with a heartbeat
   * older than $6; with fewer than $4 attempts not counting interruptions (any when null) —
   * skipped, not waited for, when another transaction holds it, is re-opened under $2
   * with its previous attempt's epochs and attrs (all but $3) removed. One row always:
   * `study` 0 when the study does not exist; the trial's columns, `params` and `attrs` (as
   * left after the claim) when one was claimed, else nulls.
   */
  claimOne: claimWhere(`($4::int IS NULL OR attempt - COALESCE((SELECT a.value::int FROM trial_attrs a
                       WHERE a.trial_id = trials.id AND a.key = '${INTERRUPTIONS_ATTR}'), 0) < $4)
                AND (state IN ('interrupted', 'waiting')
                     OR (state = 'running'
                         AND (worker = ANY($5::text[])
                              OR ($6::timestamptz IS NOT NULL AND (heartbeat IS NULL OR heartbeat < $6)))))`),
  /**
   * As claimOne, a trial running under this owner ($2) that it does not hold ($4): one whose
   * claim or creation was stored though the connection was lost before the answer came.
   */
  reclaimOwn: claimWhere("state = 'running' AND worker = $2 AND NOT (number = ANY($4::int[]))"),
  /** The allocation's inputs: whether the study exists, its trial count and next number. */
  allocation: `SELECT (SELECT COUNT(*) FROM studies WHERE id = $1)::int AS study, COUNT(*)::int AS count,
                 COALESCE(MAX(number) + 1, 0)::int AS next FROM trials WHERE study_id = $1`,
  /**
   * A new trial with its parameters and attributes, in one statement: of the candidates
   * numbered $2, $2 + 1, … (one per seed in $3; parameters $5–$8 and attributes $9–$11 tagged
   * with their candidate's index), the one whose number is the study's next when the
   * statement runs, written only while the study has fewer than $12 trials (any number when
   * null). One row always: the trial's when one went in (nulls when other processes took
   * every candidate's number), with `count` and `next` as this statement saw them, so that
   * a lost race is tried again at once without another round trip for the allocation.
   * No lock outlives the statement, so a stalled process holds up no one.
   */
  insertTrial: insertTrial('chk.next < $2 + cardinality($3::bigint[])'),
  /** insertTrial after a try cut off as it committed: only the first candidate, so that a trial that try stored is taken back, not doubled. */
  insertTrialAgain: insertTrial('chk.next = $2'),
  /**
   * A trial's end in one statement: the row is locked, and written (state $3, value $4,
   * error $5, finished now(), attrs $8/$9 merged, the last epochs $10–$17 inserted as
   * appendEpochs' columns) only while it is unfinished and, with an owner ($6, $7), running
   * under that owner and attempt — as appendEpochs. An epoch stored already fails the whole
   * statement (unique violation): nothing is written. Returns the
   * row as it was (`was_*`, for the checks), and when written the new row, `params`, and
   * the attrs as they were before the merge; and the study's `count` and `next` number,
   * the allocation of the worker's next trial (PgAllocations.hint).
   */
  finishOne: `WITH t AS (SELECT id, state, worker, attempt FROM trials WHERE study_id = $1 AND number = $2 FOR UPDATE),
              u AS (UPDATE trials SET state = $3, value = $4, error = $5, finished = now() FROM t
                    WHERE trials.id = t.id AND t.state NOT IN ('complete', 'pruned', 'diverged', 'failed')
                      AND ($6::text IS NULL OR (t.state = 'running' AND t.worker = $6 AND t.attempt = $7))
                    RETURNING ${RETURNED_TRIAL}),
              a AS (INSERT INTO trial_attrs (trial_id, key, value) SELECT u.id, x.* FROM u, unnest($8::text[], $9::text[]) AS x
                    ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value),
              e AS (INSERT INTO trial_epochs (trial_id, epoch, ${METRIC_COLUMNS}, extra)
                    SELECT u.id, x.* FROM u, unnest($10::int[], $11::float8[], $12::float8[], $13::float8[], $14::float8[],
                                                   $15::float8[], $16::float8[], $17::text[]) AS x)
              SELECT t.state AS was_state, t.worker AS was_worker, t.attempt AS was_attempt, u.*, ${PARAMS_JSON},
                (SELECT COALESCE(json_agg(a), '[]') FROM trial_attrs a WHERE a.trial_id = u.id) AS attrs, ${ALLOCATION_COLUMNS}
              FROM t LEFT JOIN u ON true`,
  /** See appendEpochs(). */
  appendEpochs: appendEpochs(''),
  /** appendEpochs after a try cut off as it committed: the rows that try stored are not refused as repeats. */
  appendEpochsAgain: appendEpochs('ON CONFLICT (trial_id, epoch) DO NOTHING'),
  restoreTimes: 'UPDATE trials SET attempt = $3, started = $4, finished = $5, heartbeat = $6 WHERE study_id = $1 AND number = $2 RETURNING id',
  heartbeat: `UPDATE trials SET heartbeat = now()
              WHERE study_id = $1 AND number = ANY($2::int[]) AND state = 'running' AND worker = $3`,
  epochsOfTrial: `SELECT epoch, ${METRIC_COLUMNS}, extra FROM trial_epochs WHERE trial_id = $1 ORDER BY epoch`,
  epochsOfStudy: `SELECT t.number, e.epoch, ${METRIC_COLUMNS
    .split(', ')
    .map((c) => `e.${c}`)
    .join(', ')}, e.extra
                  FROM trials t LEFT JOIN trial_epochs e ON e.trial_id = t.id
                  WHERE t.study_id = $1 AND ($2::text[] IS NULL OR t.state = ANY($2)) ORDER BY t.number, e.epoch`,
  now: 'SELECT now() AS now',
  /** Rows that break the rules the constraints cannot say; each a line. */
  integrity: `SELECT format('trial %s of study %s is %s without a finished time', number, study_id, state) AS problem
              FROM trials WHERE state IN ('complete', 'pruned', 'diverged', 'failed') AND finished IS NULL
              UNION ALL
              SELECT format('trial %s of study %s is running without an owner', number, study_id)
              FROM trials WHERE state = 'running' AND worker IS NULL`,
} as const;
