import App
import Glibc

// continuity: one executable, the subcommands of SPEC §5.

let usage = """
usage: continuity <command> [options]

  serve [--config FILE]                      run the HTTP service (applies pending migrations first)
  migrate [--config FILE]                    apply pending migrations and print them
  token create --name N --role R [--team T]  print a new token once (roles: worker, manager, exporter, admin)
  token list | token revoke NAME
  evaluate [--as-of YYYY-MM-DD]              re-evaluate every open client's flags and alerts
  export-alerts --consumer NAME --out FILE [--format ndjson|csv] [--gzip]
  import contacts FILE.csv [--skip-bad]      bulk-load contacts from CSV
  report --team T [--format csv|json] [--as-of D] [--excel nl]
  demo [--clients N] [--seed S]              fill the database with a synthetic municipality
  purge --closed-before YYYY-MM-DD           erase clients closed before that date (retention)
  healthcheck [--config FILE]                exit 0 when the local server answers GET /health

Every command takes --config FILE (default: config/continuity.conf if present).
"""

let argv = CommandLine.arguments
guard argv.count >= 2 else {
    print(usage)
    exit(Exit.usage)
}
let command = argv[1]
let rest = argv[2...]
let code: Int32
do {
    switch command {
    case "serve": code = try Commands.serve(rest)
    case "migrate": code = try Commands.migrate(rest)
    case "token": code = try Commands.token(rest)
    case "evaluate": code = try Commands.evaluate(rest)
    case "export-alerts": code = try Commands.exportAlerts(rest)
    case "import": code = try Commands.importContacts(rest)
    case "report": code = try Commands.report(rest)
    case "demo": code = try Commands.demo(rest)
    case "purge": code = try Commands.purge(rest)
    case "healthcheck": code = try Commands.healthcheck(rest)
    case "help", "--help", "-h":
        print(usage)
        code = Exit.ok
    default:
        printError("unknown command '\(command)'\n\n" + usage)
        code = Exit.usage
    }
} catch let e as UsageError {
    printError("\(e.description)\n\n" + usage)
    code = Exit.usage
} catch {
    printError(Commands.describe(error))
    code = Commands.exitCode(for: error)
}
exit(code)
