/// A configuration problem an operator must fix before the service starts.
///
/// The message always says where the problem is: `file:line` for the config file, the
/// variable name for an environment override (SPEC §6).
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
