/// What the pages take from configuration (SPEC §6, §9).
public struct WebSettings: Sendable {
    /// `[web] session_hours`: a sign-in lasts this long.
    public var sessionHours = 10
    /// `[server] secure_cookies`: mark the session cookie `Secure` (behind HTTPS).
    public var secureCookies = false
    /// `[reports] small_cell_threshold` (SPEC §4).
    public var smallCellThreshold = 5
    /// `[measures] window_days`.
    public var windowDays = 90
    public init() {}
}
