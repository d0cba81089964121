// swift-tools-version:6.0
// continuity: case-continuity tracking for neighbourhood social-work teams.
// No Foundation and no SwiftNIO in Sources/ (SPEC §8): the HTTP layer is our own on POSIX
// sockets, SQLite and zlib come from the system as C modules.
import PackageDescription

let package = Package(
    name: "continuity",
    products: [
        .executable(name: "continuity", targets: ["ContinuityCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Both Foundation-free: CoreMetrics is the API, swift-prometheus the text exposition.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C modules over system libraries.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),

        // Leaf modules.
        .target(name: "JSON"),
        .target(name: "Config", dependencies: ["POSIX"]),
        .target(name: "Hashing"),
        .target(name: "Log", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Threads, mutex and condition, the monotonic clock, whole-file reads, signal masks:
        // each once, every result checked (FlyingFox's FlyingSocks is the model).
        .target(name: "POSIX"),

        // Infrastructure.
        .target(name: "HTTP", dependencies: ["CEpoll", "CZlib", "POSIX", .product(name: "Logging", package: "swift-log")]),
        .target(name: "SQLite", dependencies: ["CSQLite", "Hashing", "Log", "POSIX"]),

        // The domain: pure functions, imports nothing of ours.
        .target(name: "Continuity"),

        // The repository: SQL <-> domain values; the only module with table names (besides SQLite's migrations).
        .target(name: "Repository", dependencies: ["SQLite", "Continuity"]),

        // The use cases: each workflow (idempotent create, correction, scope, audit, erasure,
        // import, evaluation, export) over the repository, in one transaction; typed domain errors.
        .target(name: "Store", dependencies: ["Repository", "SQLite", "Continuity", "Hashing"]),

        // HTML that escapes by construction, and the pages for managers and team leads (SPEC §9).
        .target(name: "HTML"),
        .target(name: "Web", dependencies: [
            "HTML", "HTTP", "Store", "Continuity", "Hashing",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Routes, handlers, JSON <-> domain, auth, problem+json.
        .target(name: "API", dependencies: [
            "HTTP", "Store", "Continuity", "JSON", "Hashing", "Log", "Web", "POSIX",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // The composition root: settings -> database -> store -> API and pages -> HTTP server.
        .target(name: "App", dependencies: [
            "API", "Store", "SQLite", "Continuity", "Config", "Log", "HTTP", "Web", "CEpoll", "POSIX",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // argv -> commands; builds everything through App (imports neither SQLite nor CEpoll).
        .executableTarget(name: "ContinuityCLI", dependencies: [
            "App", "API", "Store", "Continuity", "Config", "HTTP", "JSON", "POSIX",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // What tests share: temporary folders (built once, used by the test targets below).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RepositoryTests", dependencies: ["Repository", "SQLite", "Continuity", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "POSIXTests", dependencies: ["POSIX"]),
        .testTarget(name: "HTMLTests", dependencies: ["HTML"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "HTML", "Continuity", "Store"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "LogTests", dependencies: ["Log", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "POSIX", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "Hashing", "TestSupport"]),
        .testTarget(name: "ContinuityTests", dependencies: ["Continuity"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["SQLite", "ContinuityCLI"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Repository", "SQLite", "Continuity"]),
        .testTarget(name: "APITests", dependencies: ["App", "API", "Store", "SQLite", "Continuity", "HTTP", "JSON", "Config", "HTML",
                                                  .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "RobustnessTests", dependencies: ["App", "Config", "API", "Store", "SQLite", "Continuity", "HTTP",
                                                         .product(name: "Logging", package: "swift-log")]),
    ]
)
