"""The database triggers that count writes to the answers (surveys.models.AnswerVersion), for
SQLite and PostgreSQL. Installed by migration 0005.

A trigger, not a Python signal, because the answers have writers no signal sees: the import's
bulk_create, response_revise's update(), a group's deletion (SET NULL on its responses), the
value items rewritten when an alias changes. Each bumps the version of the filing it touches,
in the writer's own transaction: a response's old and new filing on an update, the filing of
a value item's response. Only the columns the tables count trigger an update's bump (not a
seat link or a language)."""

COUNTED_COLUMNS = "answers, gender, questionnaire, group_id, room_code"


def _key(row: str) -> str:
    """The filing of a response row (surveys/summaries.py): its group's, else its room's."""
    return (
        f"CASE WHEN {row}.group_id IS NULL THEN 'r:' || {row}.room_code "
        f"ELSE 'g:' || {row}.group_id END"
    )


def _item_key() -> str:
    return _key("r")  # a value item's response, read as r


BUMP = "ON CONFLICT (key) DO UPDATE SET version = surveys_answerversion.version + 1"


def _sqlite_bump(key: str) -> str:
    return f"INSERT INTO surveys_answerversion (key, version) VALUES ({key}, 1) {BUMP};"


def _sqlite_item_bump(row: str) -> str:
    return (
        f"INSERT INTO surveys_answerversion (key, version) SELECT {_item_key()}, 1 "
        f"FROM surveys_response r WHERE r.id = {row}.response_id {BUMP};"
    )


SQLITE = [
    "CREATE TRIGGER surveys_response_counted_insert AFTER INSERT ON surveys_response "
    f"BEGIN {_sqlite_bump(_key('NEW'))} END",
    "CREATE TRIGGER surveys_response_counted_delete AFTER DELETE ON surveys_response "
    f"BEGIN {_sqlite_bump(_key('OLD'))} END",
    f"CREATE TRIGGER surveys_response_counted_update AFTER UPDATE OF {COUNTED_COLUMNS} "
    f"ON surveys_response BEGIN {_sqlite_bump(_key('OLD'))} {_sqlite_bump(_key('NEW'))} END",
    "CREATE TRIGGER surveys_valueitem_counted_insert AFTER INSERT ON surveys_valueitem "
    f"BEGIN {_sqlite_item_bump('NEW')} END",
    "CREATE TRIGGER surveys_valueitem_counted_delete AFTER DELETE ON surveys_valueitem "
    f"BEGIN {_sqlite_item_bump('OLD')} END",
    "CREATE TRIGGER surveys_valueitem_counted_update AFTER UPDATE ON surveys_valueitem "
    f"BEGIN {_sqlite_item_bump('OLD')} {_sqlite_item_bump('NEW')} END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS surveys_{table}_counted_{op}"
    for table in ("response", "valueitem")
    for op in ("insert", "delete", "update")
]

POSTGRESQL = [
    "CREATE FUNCTION surveys_bump_answers(k text) RETURNS void LANGUAGE sql AS $$ "
    f"INSERT INTO surveys_answerversion (key, version) VALUES (k, 1) {BUMP} $$",
    "CREATE FUNCTION surveys_response_counted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN PERFORM surveys_bump_answers({_key('OLD')}); END IF; "
    f"IF TG_OP <> 'DELETE' THEN PERFORM surveys_bump_answers({_key('NEW')}); END IF; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION surveys_valueitem_counted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN PERFORM surveys_bump_answers("
    f"{_item_key()}) FROM surveys_response r WHERE r.id = OLD.response_id; END IF; "
    "IF TG_OP <> 'DELETE' THEN PERFORM surveys_bump_answers("
    f"{_item_key()}) FROM surveys_response r WHERE r.id = NEW.response_id; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER surveys_response_counted AFTER INSERT OR DELETE OR UPDATE OF "
    f"{COUNTED_COLUMNS} ON surveys_response FOR EACH ROW "
    "EXECUTE FUNCTION surveys_response_counted()",
    "CREATE TRIGGER surveys_valueitem_counted AFTER INSERT OR DELETE OR UPDATE "
    "ON surveys_valueitem FOR EACH ROW EXECUTE FUNCTION surveys_valueitem_counted()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS surveys_response_counted ON surveys_response",
    "DROP TRIGGER IF EXISTS surveys_valueitem_counted ON surveys_valueitem",
    "DROP FUNCTION IF EXISTS surveys_response_counted()",
    "DROP FUNCTION IF EXISTS surveys_valueitem_counted()",
    "DROP FUNCTION IF EXISTS surveys_bump_answers(text)",
]


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)


def remove(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql)
