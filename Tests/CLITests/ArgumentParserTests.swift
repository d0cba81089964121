import Testing
@testable import ContinuityCLI

/// The command-line table (SPEC §5): one parser, table-driven cases.
struct ArgumentParserTests {
    let parser = CommandTable.parser

    static func run(_ command: String, _ positionals: [String] = [], _ options: [String: String] = [:],
                    _ switches: Set<String> = []) -> ParsedCommandLine {
        .run(command: command, Arguments(positionals: positionals, options: options, switches: switches))
    }

    @Test(arguments: [
        (["migrate"], run("migrate")),
        (["serve", "--config", "a.conf"], run("serve", [], ["config": "a.conf"])),
        (["serve", "--config=a.conf"], run("serve", [], ["config": "a.conf"])),
        (["token", "create", "--name", "n", "--role", "admin"], run("token create", [], ["name": "n", "role": "admin"])),
        (["token", "revoke", "old"], run("token revoke", ["old"])),
        (["import", "contacts", "x.csv", "--skip-bad"], run("import contacts", ["x.csv"], [:], ["skip-bad"])),
        (["import", "contacts", "--", "--odd-name.csv"], run("import contacts", ["--odd-name.csv"])),
        (["export-alerts", "--consumer", "c", "--out", "f", "--gzip"], run("export-alerts", [], ["consumer": "c", "out": "f"], ["gzip"])),
        (["backup", "/backups/c.sqlite"], run("backup", ["/backups/c.sqlite"])),
        (["--version"], .version),
        (["--help"], .help(command: nil)),
        (["help"], .help(command: nil)),
        (["help", "token", "create"], .help(command: "token create")),
        (["demo", "--help"], .help(command: "demo")),
        (["purge", "-h"], .help(command: "purge")),
        (["report", "--team", "t", "--help"], .help(command: "report")),
    ] as [([String], ParsedCommandLine)])
    func accepts(argv: [String], expected: ParsedCommandLine) throws {
        #expect(try parser.parse(argv) == expected)
    }

    /// (argv, a phrase the error must contain)
    @Test(arguments: [
        (["migrat"], "did you mean 'migrate'?"),
        (["tokn", "list"], "did you mean 'token'?"),
        (["token", "creat"], "did you mean 'token create'?"),
        (["token"], "needs one of: create, list, revoke"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["migrate", "extra-arg"], "unexpected argument 'extra-arg'"),
        (["backup"], "needs FILE"),
        (["backup", "a", "b"], "unexpected argument 'b'"),
        (["demo", "--clinets", "5"], "did you mean '--clients'?"),
        (["demo", "-c", "5"], "unknown option -c"),
        (["demo", "--clients"], "--clients needs a value"),
        (["demo", "--clients", "1", "--clients", "2"], "--clients is given twice"),
        (["export-alerts", "--gzip=yes", "--consumer", "c", "--out", "f"], "--gzip takes no value"),
        (["report"], "needs --team"),
        (["token", "create", "--role", "admin"], "needs --name"),
        (["--version", "now"], "takes no arguments"),
    ])
    func refuses(argv: [String], phrase: String) {
        #expect(throws: UsageError.self) { try parser.parse(argv) }
        do {
            _ = try parser.parse(argv)
        } catch {
            #expect(error.description.contains(phrase), "\(error.description)")
        }
    }

    @Test func everyCommandHasItsOwnHelp_listingEachOption() {
        for spec in parser.commands {
            let help = spec.help
            #expect(help.hasPrefix("usage: continuity " + spec.name))
            for option in spec.options { #expect(help.contains("--" + option.name), "\(spec.name) --\(option.name)") }
            #expect(help.contains("--help"))
            #expect(parser.overview.contains(spec.summary))
        }
    }

    @Test(arguments: [("migrate", "migrate", 0), ("migrat", "migrate", 1), ("kitten", "sitting", 3), ("", "abc", 3)])
    func editDistances(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
    }
}
