/**
 * The bash the export script runs around its rows: it reads what the database holds for this owner,
 * turns the row lines (`row`, `values`, `ports`, `acl`, `nat`, `attach`) into ovn-nbctl commands
 * and commits them (`commit`). Kept as bash text so the script stays one self-contained file.
 * Expects OWNER (the owner name) and OWNED (the ovn-nbctl `find` condition for it) to be set, and
 * the deletion limit (MAX_DELETE_PERCENT, MAX_DELETE_ROWS, MAX_DELETE_EMPTYING, MAX_DELETE_TEXT) with
 * WANTED, the number of rows the script writes (see guard/deletionLimit.ts, whose rule it repeats).
 *
 * Verified against ovn-nbctl 23.03.1 (test/export): `destroy` on a non-root table (ACL, NAT) is
 * a silent no-op, so old rows are removed from the set that refers to them instead; `add TABLE NAME`
 * finds a row created earlier in the same transaction by name, but `@id` works only as a value.
 */
import { nbTables, type TableDescriptor } from '../tables/descriptors.js';
import type { NbRow } from '../rows/index.js';
import { doubleQuotedText } from './quote.js';

/**
 * What the deletion refusal says besides `run again with NBGEN_MAX_DELETE=N (or 100%)`, in the words
 * of the program that rendered the script: the CLI names its flag and its delete command, the
 * defaults name the library's options.
 */
export interface ScriptRefusalWording {
  /** Another way to go ahead: `... (or 100%), or <retry>`. */
  readonly retry: string;
  /** How to remove all rows of an owner on purpose; `{owner}` stands for the owner's name. */
  readonly removeOwner: string;
}

export const DEFAULT_SCRIPT_REFUSAL_WORDING: ScriptRefusalWording = Object.freeze({
  retry: 'render the script again with a higher deletionLimit',
  removeOwner: 'run a script rendered from no rows with no deletion limit',
});

/** The refusal's advice as bash double-quoted text: `$total` and `$OWNER` expand, nothing else does. */
function refusalAdvice(wording: ScriptRefusalWording): string {
  const removeOwner = wording.removeOwner.split('{owner}').map(doubleQuotedText).join('$OWNER');
  return `if these rows should go, run again with NBGEN_MAX_DELETE=$total (or 100%), or ${doubleQuotedText(wording.retry)}; to remove all rows of an owner, ${removeOwner}.`;
}

// The per-table parts of the runtime come from the table descriptors (core/src/tables): which
// tables are ours, which are read whole (unique names) or only the owner's rows, which sets hold
// our non-root rows or our rows as members. A table added there is read, counted and cleaned up
// here without a line of bash written for it.
const TABLES = Object.values(nbTables) as TableDescriptor<NbRow>[];
const ROOTS = TABLES.filter((d) => !d.parent);
const CHILDREN = TABLES.filter((d) => d.parent);

/** The bash variable holding `read_refs TABLE COLUMN`'s lines. */
const refsOf = (table: string, column: string): string => `refs_${table}_${column}`;

/** Every set that holds our rows: parents' child sets (Port_Group.acls) and membership sets (Logical_Router.load_balancer). */
const HOLDING_SETS: readonly { readonly table: string; readonly column: string }[] = [
  ...CHILDREN.map((d) => ({ table: d.parent!.table, column: d.parent!.column })),
  ...TABLES.flatMap((d) => d.memberOf.map((m) => ({ table: m.table, column: m.column }))),
];

function readOwnedRows(): string {
  const unique = ROOTS.filter((d) => d.uniqueName);
  const notUnique = ROOTS.filter((d) => !d.uniqueName);
  return [
    `declare -A ${TABLES.map((d) => `owned_${d.table}=()`).join(' ')}`,
    ...TABLES.map((d) => `read_uuids owned_${d.table} ${d.table}`),
    `# ${unique.map((d) => d.table).join(' and ')} names are unique (schema index), so a name taken by someone else is`,
    `# an error; ${notUnique.map((d) => d.table).join(' and ')} names are not unique, so only ours count.`,
    ...unique.map((d) => `declare -A all_${d.table}=() mine_${d.table}=() theirs_${d.table}=()`),
    `declare -A ${notUnique.map((d) => `mine_${d.table}=() theirs_${d.table}=()`).join(' ')} router_uuid=() port_uuid=()`,
    ...unique.flatMap((d) => [`read_names all_${d.table} ${d.table}`, `split_owned ${d.table}`]),
    ...notUnique.map((d) => `read_names mine_${d.table} ${d.table} "$OWNED"`),
    'read_names router_uuid Logical_Router',
    ...HOLDING_SETS.map((h) => `${refsOf(h.table, h.column)}=$(read_refs ${h.table} ${h.column})`),
  ].join('\n');
}

function countDeleted(): string {
  return [
    ...ROOTS.map((d) => `  count_unkept ${d.table}`),
    ...CHILDREN.map((d) => `  count_replaced ${d.table} "$${refsOf(d.parent!.table, d.parent!.column)}"`),
  ].join('\n');
}

/**
 * In commit: our non-root rows are replaced, so the old ones are taken out of the sets that refer
 * to them (the database then deletes them, as non-root rows nobody refers to); our rows no longer
 * attached leave the membership sets; root rows not written are destroyed.
 */
function dropUnwanted(): string {
  const children = CHILDREN.map((d) => {
    const { table, column } = d.parent!;
    return `  while IFS=, read -r uuid refs; do
    stale=()
    for a in $refs; do [[ -z \${owned_${d.table}["$a"]+x} ]] || stale+=("$a"); done
    ((\${#stale[@]} == 0)) || { unit; txn+=(-- remove ${table} "$uuid" ${column} "\${stale[@]}"); }
  done <<<"$${refsOf(table, column)}"`;
  });
  const members = TABLES.flatMap((d) =>
    d.memberOf.map(
      (m) => `  while IFS=, read -r uuid refs; do
    stale=()
    for a in $refs; do
      [[ -z \${owned_${d.table}["$a"]+x} || -n \${attached["$a $uuid"]+x} ]] || stale+=("$a")
    done
    ((\${#stale[@]} == 0)) || { unit; txn+=(-- remove ${m.table} "$uuid" ${m.column} "\${stale[@]}"); }
  done <<<"$${refsOf(m.table, m.column)}"`,
    ),
  );
  return [
    `  # Our ${CHILDREN.map((d) => d.table).join(' and ')} rows are replaced: take the old ones out of the sets that refer to them`,
    '  # (the database then deletes them, as non-root rows nobody refers to).',
    ...children,
    ...members,
    ...ROOTS.map((d) => `  destroy_unkept ${d.table}`),
  ].join('\n');
}

/** The runtime, its deletion refusal worded as `wording` says. */
export function nbctlRuntime(wording: ScriptRefusalWording = DEFAULT_SCRIPT_REFUSAL_WORDING): string {
  return `set -euo pipefail -f

# OVN_NBCTL may hold options or a prefix, e.g. OVN_NBCTL='chroot /srv/ovn ovn-nbctl --db=unix:/nb.sock';
# it is word-split on purpose. Without it, ovn-nbctl reads OVN_NB_DB as usual.
nbctl() { \${OVN_NBCTL:-ovn-nbctl} "$@"; }
warn() { printf 'nbgen: %s\\n' "$*" >&2; }
die() { warn "$@"; exit 1; }

# -- read: what the database holds now -------------------------------------------------------------
# Reads are captured with $(...) so that a failing ovn-nbctl stops the script (set -e) before any
# write. Names are compared in JSON form, as the row lines pass them: ovn-nbctl prints a name with
# --data=json exactly as JSON.stringify writes it (same escapes), one record per line even when the
# name holds a newline, quote or comma.
csv_unquote() {
  REPLY=$1
  if [[ $REPLY == \\"*\\" ]]; then REPLY=\${REPLY:1:\${#REPLY}-2}; REPLY=\${REPLY//\\"\\"/\\"}; fi
}
# Associative arrays are only ever indexed with \${a["$key"]+x} and a["$key"]=...: bash expands those
# subscripts once, so a hostile name in the database cannot inject code ([[ -v a[$key] ]] could).
UUID_PATTERN='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
read_names() { # ARRAY TABLE [CONDITION]: ARRAY[JSON name] = UUID, for rows matching CONDITION (all without)
  local -n into=$1
  local out line
  out=$(nbctl --format=csv --data=json --no-headings --columns=_uuid,name find "\${@:2}")
  while IFS= read -r line; do
    # "[""uuid"",""<uuid>""]","""<name as JSON, quotes doubled>"""
    [[ $line == *',"""'* && \${line%%,\\"\\"\\"*} =~ $UUID_PATTERN ]] || continue
    csv_unquote "\\"\\"\\"\${line#*,\\"\\"\\"}"
    into["$REPLY"]=\${BASH_REMATCH[0]}
  done <<<"$out"
}
read_uuids() { # ARRAY TABLE: ARRAY[UUID] = 1 for the rows this owner wrote
  local -n into=$1
  local out uuid
  out=$(nbctl --format=csv --data=bare --no-headings --columns=_uuid find "$2" "$OWNED")
  for uuid in $out; do into["$uuid"]=1; done
}
read_refs() { # TABLE COLUMN: lines "UUID,REFERENCED-UUID REFERENCED-UUID..." (UUIDs only, no names)
  nbctl --format=csv --data=bare --no-headings --columns=_uuid,"$2" list "$1"
}
# split_owned TABLE: ours (mine_TABLE: JSON name -> UUID) and everyone else's (theirs_TABLE).
split_owned() {
  local -n all=all_$1 owned=owned_$1 mine=mine_$1 theirs=theirs_$1
  local name
  for name in "\${!all[@]}"; do
    if [[ -n \${owned["\${all["$name"]}"]+x} ]]; then mine["$name"]=\${all["$name"]}; else theirs["$name"]=\${all["$name"]}; fi
  done
}

${readOwnedRows()}
read_ports() { read_names port_uuid Logical_Switch_Port; }

# -- write: one transaction of ovn-nbctl commands ---------------------------------------------------
txn=()            # the commands, each preceded by --
units=()          # where each unit (commands that must commit together) starts in txn
declare -A keep=()          # UUIDs of rows of ours that stay
declare -A attached=()      # "LB-UUID ROUTER-UUID" pairs that stay
declare -A pg_row=()        # name of an existing Port_Group of ours -> its UUID
declare -A written_into=()  # UUID of a Port_Group or Logical_Router -> ACLs or NATs written into it
n=0
unit() { units+=("\${#txn[@]}"); }

# row TABLE NAME name=JSON-NAME COLUMN=VALUE...: update our row of that name in place (keeping its
# UUID, so references to it stay) or create it. Sets ROW (the record to name in later commands),
# REF (the value that refers to it) and EXISTING.
row() {
  local table=$1 name=$2 key=\${3#name=}
  shift 2
  local -n mine=mine_$table theirs=theirs_$table
  unit
  if [[ -n \${mine["$key"]+x} ]]; then
    ROW=\${mine["$key"]} REF=\${mine["$key"]} EXISTING=1
    keep["$ROW"]=1
    [[ $table != Port_Group ]] || pg_row["$name"]=$ROW
    txn+=(-- set "$table" "$ROW" "$@")
  elif [[ -n \${theirs["$key"]+x} ]]; then
    die "$table $key exists and is not owned by $OWNER; not touching it"
  else
    n=$((n + 1))
    ROW=$name REF=@row$n EXISTING=0
    txn+=(-- --id="$REF" create "$table" "$@")
  fi
  TABLE=$table ROW_KEY=$key
}

# values COLUMN VALUE...: the row's set COLUMN holds exactly these values. A new row is named by its
# (unique) name; values go one per argument, so no argument outgrows the kernel's per-argument limit.
values() {
  local column=$1
  shift
  ((EXISTING == 0)) || txn+=(-- clear "$TABLE" "$ROW" "$column")
  (($# == 0)) || txn+=(-- add "$TABLE" "$ROW" "$column" "$@")
}

# ports JSON-NAME...: the port group holds these logical switch ports. A port missing from the
# database (pod not created yet, or deleted) is left out with a warning rather than failing the write.
ports() {
  local name uuids=()
  for name in "$@"; do
    if [[ -n \${port_uuid["$name"]+x} ]]; then
      uuids+=("\${port_uuid["$name"]}")
    else
      warn "Port_Group $ROW_KEY: logical switch port $name not found; left out"
    fi
  done
  values ports "\${uuids[@]}"
}

# acl PORT_GROUP COLUMN=VALUE...: ACL is a non-root table; it exists only while a Port_Group refers
# to it, so it is created and added to its group in the same transaction.
acl() {
  local group=$1
  shift
  [[ -z \${pg_row["$group"]+x} ]] || count_into "\${pg_row["$group"]}"
  unit
  n=$((n + 1))
  txn+=(-- --id=@row$n create ACL "$@" -- add Port_Group "$group" acls @row$n)
}

# nat JSON-ROUTER GATEWAY_PORT COLUMN=VALUE...: NAT is non-root like ACL; it hangs off
# Logical_Router.nat. GATEWAY_PORT ('' for none) is a Logical_Router_Port name, looked up in the
# same transaction.
nat() {
  local router=$1 gateway=$2
  shift 2
  [[ -n \${router_uuid["$router"]+x} ]] || die "Logical_Router $router not found (NAT rows need it)"
  count_into "\${router_uuid["$router"]}"
  unit
  n=$((n + 1))
  if [[ -n $gateway ]]; then
    txn+=(-- --id=@gw$n get Logical_Router_Port "$gateway")
    set -- "$@" gateway_port=@gw$n
  fi
  txn+=(-- --id=@row$n create NAT "$@" -- add Logical_Router "\${router_uuid["$router"]}" nat @row$n)
}

# attach JSON-ROUTER: the current Load_Balancer row is in the router's load_balancer set.
attach() {
  [[ -n \${router_uuid["$1"]+x} ]] || die "Logical_Router $1 not found (Load_Balancer $ROW_KEY needs it)"
  ((EXISTING == 0)) || attached["$REF \${router_uuid["$1"]}"]=1
  txn+=(-- add Logical_Router "\${router_uuid["$1"]}" load_balancer "$REF")
}

count_into() { written_into["$1"]=$((\${written_into["$1"]:-0} + 1)); }

# -- deletion limit: checked before any write --------------------------------------------------------
# The same rule as nbgen apply (guard/deletionLimit.ts): refuse when the rows of this owner that
# would be gone afterwards are more than MAX_DELETE_ROWS and more than MAX_DELETE_PERCENT % of the
# owner's rows, or (MAX_DELETE_EMPTYING) when the script writes no row and would delete some.
# NBGEN_MAX_DELETE=N or P% replaces the limit the script was exported with. Port groups, address
# sets and load balancers that go are the ones not written above; ACLs and NATs are replaced on
# every run, so those that go are counted per port group or router: the owner's ACLs (NATs) in it
# beyond the number written into it.
declare -A deleted=(${TABLES.map((d) => `[${d.table}]=0`).join(' ')})
count_unkept() { # TABLE
  local -n owned=owned_$1
  local uuid
  for uuid in "\${!owned[@]}"; do [[ -n \${keep["$uuid"]+x} ]] || deleted[$1]=$((deleted[$1] + 1)); done
}
count_replaced() { # TABLE REFS-LINES: owned rows of TABLE per referring row, beyond those written into it
  local -n owned=owned_$1
  local uuid refs a
  local -i here
  while IFS=, read -r uuid refs; do
    [[ -n $uuid ]] || continue
    here=0
    for a in $refs; do [[ -z \${owned["$a"]+x} ]] || here+=1; done
    here=$((here - \${written_into["$uuid"]:-0}))
    ((here <= 0)) || deleted[$1]=$((deleted[$1] + here))
  done <<<"$2"
}
owned_count() { local -n owned=owned_$1; REPLY=\${#owned[@]}; }
check_deletions() {
  local percent=$MAX_DELETE_PERCENT rows=$MAX_DELETE_ROWS emptying=$MAX_DELETE_EMPTYING text=$MAX_DELETE_TEXT
  local table list=''
  local -i total=0 owned_total=0
  if [[ -n \${NBGEN_MAX_DELETE-} ]]; then
    if [[ $NBGEN_MAX_DELETE =~ ^([0-9]{1,3})%$ ]] && ((10#\${BASH_REMATCH[1]} <= 100)); then
      percent=$((10#\${BASH_REMATCH[1]})) rows=0 emptying=0 text="more than $percent%"
    elif [[ $NBGEN_MAX_DELETE =~ ^[0-9]{1,9}$ ]]; then
      percent=0 rows=$((10#$NBGEN_MAX_DELETE)) emptying=0 text="more than $rows row"
      ((rows == 1)) || text+=s
    else
      warn "NBGEN_MAX_DELETE: expected N or P% (0-100), found $NBGEN_MAX_DELETE"
      exit 2
    fi
  fi
${countDeleted()}
  for table in ${TABLES.map((d) => d.table).join(' ')}; do
    owned_count "$table"
    owned_total+=REPLY
    ((deleted[$table] == 0)) || { total+=\${deleted[$table]}; list+="\${list:+, }$table \${deleted[$table]} of $REPLY"; }
  done
  ((total > 0)) || return 0
  if ((total > rows && total * 100 > percent * owned_total)) || ((emptying && WANTED == 0)); then
    ((WANTED > 0)) || list+='; none would be left'
    warn "refusing to delete $total of the $owned_total rows of owner \\"$OWNER\\" ($list): over the deletion limit, $text. Nothing was written."
    warn "Check the input (a missing or mistyped file removes its policies' rows); ${refusalAdvice(wording)}"
    exit 2
  fi
}

# commit: drop what this owner no longer wants, then run the transaction.
commit() {
  local uuid refs a stale
  check_deletions
${dropUnwanted()}
  run_transactions
}

# destroy_unkept TABLE: root rows of ours that were not written above are no longer wanted.
destroy_unkept() {
  local -n owned=owned_$1
  local uuid
  for uuid in "\${!owned[@]}"; do
    [[ -n \${keep["$uuid"]+x} ]] || { unit; txn+=(-- destroy "$1" "$uuid"); }
  done
}

# One ovn-nbctl call applies every command atomically. A transaction larger than
# NBGEN_MAX_TXN_BYTES (default 1000000, about half of Linux's usual argument space) is split at unit
# boundaries; the order above (new rows first, removals last) keeps each step make-before-break.
run_transactions() {
  local LC_ALL=C max=\${NBGEN_MAX_TXN_BYTES:-1000000}
  local -i i u start=0 size=0 unit_size count=0
  ((\${#txn[@]} > 0)) || { warn "owner $OWNER: nothing to write"; return 0; }
  units+=("\${#txn[@]}")
  for ((u = 0; u < \${#units[@]} - 1; u++)); do
    unit_size=0
    # An argument takes its bytes, a NUL and a pointer of the kernel's argument space.
    for ((i = units[u]; i < units[u + 1]; i++)); do unit_size+=$((\${#txn[i]} + 9)); done
    if ((size > 0 && size + unit_size > max)); then
      nbctl "\${txn[@]:start:units[u]-start}" >/dev/null
      count+=1 start=\${units[u]} size=0
    fi
    size+=unit_size
  done
  nbctl "\${txn[@]:start}" >/dev/null
  count+=1
  warn "owner $OWNER: written in $count transaction(s)"
}
`;
}
