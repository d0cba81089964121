/// What `continuity --version` and the `continuity_build_info` metric report.
enum BuildInfo {
    static let version = "1.0.0"
}
