import API
import App
import Glibc

// continuity: one executable, the subcommands of SPEC §5, read by the table in CommandTable.

let parser = CommandTable.parser
let words = Array(CommandLine.arguments.dropFirst())
guard !words.isEmpty else {
    printError("no command given\n\n" + parser.overview)
    exit(Exit.usage)
}
var running: String?
let code: Int32
do {
    switch try parser.parse(words) {
    case .help(let name):
        print(name.flatMap(parser.spec)?.help ?? parser.overview)
        code = Exit.ok
    case .version:
        print("continuity \(BuildInfo.version)")
        code = Exit.ok
    case .run(let name, let arguments):
        running = name
        code = try CommandTable.run(name, arguments)
    }
} catch let e as UsageError {
    let hint = (e.command ?? running).map { "run 'continuity \($0) --help' for its usage" } ?? "run 'continuity --help' for the commands"
    printError(e.description + "\n" + hint)
    code = Exit.usage
} catch {
    printError(Commands.describe(error))
    code = Commands.exitCode(for: error)
}
exit(code)
