/// How `StderrLogHandler` writes a record: one line of text, or one JSON object per line
/// (SPEC §7: "plain or JSON by configuration").
public enum LogFormat: String, Sendable, CaseIterable {
    case plain
    case json
}
