// swift-tools-version:6.0
// The speed benchmark, in its own package so the main build stays light. Run from the repo root:
//   swift run -c release --package-path Benchmarks workforce-benchmark
import PackageDescription

let package = Package(
    name: "WorkforceBenchmarks",
    dependencies: [.package(name: "Workforce", path: "..")],
    targets: [
        .executableTarget(
            name: "workforce-benchmark",
            dependencies: [
                .product(name: "Workforce", package: "Workforce"),
                .product(name: "WorkforceScenario", package: "Workforce"),
            ]
        )
    ]
)
