import Testing

/// Robustness of the service as a whole (SPEC §7): crashes and hostile clients. Serialized:
/// the timing assertions must not compete with the crash test's sixteen writers for the CPU.
@Suite(.serialized)
struct RobustnessTests {}
