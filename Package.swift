// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Workforce",
    products: [
        .executable(name: "workforce", targets: ["workforce"]),
        .library(name: "Workforce", targets: ["Workforce"]),
        .library(name: "WorkforceScenario", targets: ["WorkforceScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Not API: the C shim over the GNU Scientific Library (see README, "Modules").
        .systemLibrary(
            name: "_CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Not API: libxlsxwriter (Debian libxlsxwriter-dev), for results.xlsx (WorkforceReport's Workbook).
        .systemLibrary(
            name: "_CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // The model and the engine: no files, no terminal.
        .target(name: "Workforce", dependencies: ["_CGSL"]),
        // File formats every input and output shares: CSV both ways, SHA-256 fingerprints, and the
        // located problem (`Diagnostic`) and data error they are reported as. No model, no YAML.
        .target(name: "WorkforceFormats"),
        // Scenario files (YAML or JSON) → validated model, with file:line:column diagnostics.
        .target(
            name: "WorkforceScenario",
            dependencies: ["Workforce", "WorkforceFormats", .product(name: "Yams", package: "Yams")]
        ),
        // Comparisons, solving, sensitivity and attribution on common random numbers; no files.
        .target(name: "WorkforceAnalysis", dependencies: ["Workforce"]),
        // Home Office tables → initial workforces, calibrated rates, backtests; no files.
        .target(name: "WorkforceData", dependencies: ["Workforce", "WorkforceFormats", "WorkforceScenario"]),
        // A run's results as typed values, and their files (CSV and JSON) both ways, with those of
        // the analyses, backtest and evaluate: what the writers render and the report shows.
        .target(name: "WorkforceResults", dependencies: ["Workforce", "WorkforceAnalysis", "WorkforceData", "WorkforceFormats", "WorkforceScenario"]),
        // The board report: typed results → self-contained HTML, Markdown and SVG (pure strings).
        // results.xlsx too (libxlsxwriter writes it to a path).
        .target(name: "WorkforceReport", dependencies: ["Workforce", "WorkforceAnalysis", "WorkforceFormats", "WorkforceResults", "_CXlsxWriter"]),
        // The what-if workbench (`workforce serve`): an HTTP API and one self-contained page over
        // typed values from the scenario, engine, analysis and report modules.
        .target(
            name: "WorkforceServer",
            dependencies: [
                "Workforce", "WorkforceFormats", "WorkforceScenario", "WorkforceAnalysis", "WorkforceResults", "WorkforceReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Subcommands and result writers.
        .target(
            name: "WorkforceCLI",
            dependencies: [
                "Workforce", "WorkforceFormats", "WorkforceScenario", "WorkforceAnalysis", "WorkforceData", "WorkforceResults", "WorkforceReport",
                "WorkforceServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "workforce", dependencies: ["WorkforceCLI"]),
        // libFuzzer targets, chosen by WORKFORCE_FUZZ_TARGET (scripts/fuzz builds it with -sanitize=fuzzer);
        // a plain build replays the files it is given.
        .executableTarget(name: "WorkforceFuzz", dependencies: ["WorkforceFormats", "WorkforceScenario", "WorkforceData", "WorkforceCLI"], path: "Fuzz/WorkforceFuzz"),
        // Not API: model builders shared by the test targets.
        .target(name: "_WorkforceTestSupport", dependencies: ["Workforce"]),
        .testTarget(name: "WorkforceTests", dependencies: ["Workforce", "_WorkforceTestSupport"]),
        .testTarget(name: "WorkforceScenarioTests", dependencies: ["WorkforceFormats", "WorkforceScenario", "_WorkforceTestSupport"]),
        .testTarget(name: "WorkforceAnalysisTests", dependencies: ["WorkforceAnalysis", "WorkforceScenario", "_WorkforceTestSupport"]),
        .testTarget(
            name: "WorkforceCLITests", dependencies: ["workforce", "WorkforceFormats", "WorkforceScenario", "WorkforceReport", "WorkforceResults", "_WorkforceTestSupport"],
            exclude: ["Resources"]),
        .testTarget(
            name: "WorkforceReportTests", dependencies: ["Workforce", "WorkforceFormats", "WorkforceReport", "WorkforceResults", "workforce", "_WorkforceTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "WorkforceServerTests", dependencies: ["WorkforceAnalysis", "workforce", "_WorkforceTestSupport"]),
        .testTarget(
            name: "WorkforceDataTests", dependencies: ["WorkforceData", "Workforce", "WorkforceFormats", "WorkforceScenario"],
            exclude: ["Resources"]),
    ]
)
