/// Every command of SPEC §5 with its options and help, and the function that runs it.
enum CommandTable {
    static let parser = CommandLineParser(commands: specs.map(\.0))

    static func run(_ name: String, _ a: Arguments) throws -> Int32 {
        guard let run = specs.first(where: { $0.0.name == name })?.1 else { throw UsageError("unknown command '\(name)'") }
        return try run(a)
    }

    static let asOf = OptionSpec("as-of", "YYYY-MM-DD", help: "the date to evaluate as of (default: today in the configured zone)")

    static let specs: [(CommandSpec, @Sendable (Arguments) throws -> Int32)] = [
        (CommandSpec(["serve"], summary: "run the HTTP service (applies pending migrations first)",
                     details: "Serves the API, the web pages and /metrics on [server] host and port until SIGTERM or SIGINT, then finishes the requests in flight, closes the database and exits 0. Applies pending migrations first; re-evaluates every open client daily at [alerts] daily_run."),
         Commands.serve),
        (CommandSpec(["migrate"], summary: "apply pending migrations and print them",
                     details: "Applies the migrations built into the binary that the database lacks, each in its own transaction, and prints each one applied with its checksum. Refuses (exit 78) a database whose applied migrations were edited or are unknown to this binary (an older binary on a newer database)."),
         Commands.migrate),
        (CommandSpec(["token", "create"], [], [
            OptionSpec("name", "NAME", required: true, help: "the token's name, shown in logs and the audit log"),
            OptionSpec("role", "ROLE", required: true, help: "worker, manager, exporter or admin"),
            OptionSpec("team", "TEAM", help: "the team a worker (required) or manager (optional) is limited to"),
        ], summary: "print a new token once (roles: worker, manager, exporter, admin)",
         details: "Creates a bearer token and prints it alone on the last line; only its SHA-256 is stored, so it cannot be shown again."),
         Commands.tokenCreate),
        (CommandSpec(["token", "list"], summary: "list tokens (names, roles, teams; never the secrets)",
                     details: "Lists every token: name, role, team, when it was created and when it was revoked."),
         Commands.tokenList),
        (CommandSpec(["token", "revoke"], ["NAME"], [], summary: "revoke the token named NAME",
                     details: "Revokes a live token at once; requests carrying it answer 401 from then on."),
         Commands.tokenRevoke),
        (CommandSpec(["evaluate"], [], [asOf], summary: "re-evaluate every open client's flags and alerts",
                     details: "Re-evaluates every open client's flags as of the date, raising and resolving alerts; shows progress on a terminal. Exit 75 if some clients could not be evaluated (try again)."),
         Commands.evaluate),
        (CommandSpec(["export-alerts"], [], [
            OptionSpec("consumer", "NAME", required: true, help: "who reads the file; each consumer has its own cursor"),
            OptionSpec("out", "FILE", required: true, help: "the file to write; never overwritten"),
            OptionSpec("format", "FORMAT", help: "ndjson (default) or csv"),
            OptionSpec("gzip", help: "compress the file with gzip"),
        ], summary: "write the alert events a consumer has not yet exported",
         details: "Writes the alert events after this consumer's cursor to FILE atomically (temporary file, fsync, rename), then advances the cursor; prints the count. Nothing is exported twice or skipped, even if a run is killed halfway. Exit 73 if FILE exists, 75 if another export for the consumer runs."),
         Commands.exportAlerts),
        (CommandSpec(["import", "contacts"], ["FILE.csv"], [
            OptionSpec("skip-bad", help: "load the good rows even if some rows are bad"),
        ], summary: "bulk-load contacts from CSV",
         details: "Loads the contacts of a CSV file (and the clients and professionals they name, if missing) in one transaction. Every bad row is reported as FILE:LINE: column: detail; one bad row loads nothing (exit 65) unless --skip-bad."),
         Commands.importContacts),
        (CommandSpec(["report"], [], [
            OptionSpec("team", "TEAM", required: true, help: "the team to report on"),
            OptionSpec("format", "FORMAT", help: "csv (default) or json"),
            asOf,
            OptionSpec("window-days", "DAYS", help: "the measures' window in days (default: [measures] window_days)"),
            OptionSpec("excel", "nl", help: "nl: ';'-separated with decimal commas for Dutch Excel"),
        ], summary: "print a team's continuity report (CSV or JSON)",
         details: "Prints the team's continuity report of SPEC §4 on stdout; counts below [reports] small_cell_threshold are suppressed in CSV."),
         Commands.report),
        (CommandSpec(["demo"], [], [
            OptionSpec("clients", "N", help: "how many clients (default 400, at most 1000000)"),
            OptionSpec("seed", "S", help: "the random seed (default 1); the same seed gives the same municipality"),
        ], summary: "fill an empty database with a synthetic municipality",
         details: "Fills an empty database with synthetic teams, professionals, clients and a few years of contacts and referrals, then evaluates them, so a newcomer sees a living system at once. Shows progress on a terminal."),
         Commands.demo),
        (CommandSpec(["purge"], [], [
            OptionSpec("closed-before", "YYYY-MM-DD", required: true, help: "erase clients whose case closed before this date"),
        ], summary: "erase clients closed before a date (retention)",
         details: "Erases every client closed before the date with their contacts, referrals, assignments, alerts and audit rows (the audit keeps that an erasure happened); prints how many. Shows progress on a terminal."),
         Commands.purge),
        (CommandSpec(["backup"], ["FILE"], [], summary: "copy the live database to FILE, verified",
                     details: "Copies the database to FILE while the server runs and takes writes (SQLite's online backup, one consistent snapshot), checks the copy with PRAGMA integrity_check, and writes it atomically (temporary file beside FILE, fsync, rename) with mode 0600; an existing FILE is replaced only by a good copy. Shows progress on a terminal. Restore: stop the server, copy FILE over [database] path, remove the -wal and -shm files beside it, start."),
         Commands.backup),
        (CommandSpec(["healthcheck"], summary: "exit 0 when the local server answers GET /health",
                     details: "Sends GET /health to [server] host and port and exits 0 on a 200 within 3 seconds, else 1. For Docker's HEALTHCHECK (no curl in the image)."),
         Commands.healthcheck),
    ]
}
