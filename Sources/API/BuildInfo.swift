/// What `continuity --version` and the `continuity_build_info` metric report.
public enum BuildInfo {
    public static let version = "1.0.0"
}
