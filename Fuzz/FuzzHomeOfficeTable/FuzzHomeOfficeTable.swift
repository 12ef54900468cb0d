import Foundation
import WorkforceData

/// libFuzzer target over the Home Office table reader and what `import` and `calibrate` do with
/// a table (issue 12): any bytes must give rows, snapshots, initial rows and a calibration, or a
/// `DataError`, never a trap. Run by `scripts/fuzz` (built with `-sanitize=fuzzer -DFUZZING`);
/// without `FUZZING` the executable replays the files it is given.
func fuzzTable(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self),
          let table = try? HomeOfficeTable(parsing: text, file: "t.csv")
    else { return }
    for force in table.forces.prefix(2) {
        let years = Set(table.rows.filter { $0.force == force }.map(\.year)).sorted()
        var snapshots: [ForceSnapshot] = []
        for year in years.prefix(3) {
            guard let snapshot = try? table.snapshot(force: force, year: year, measure: .headcount, mapping: .homeOffice) else { continue }
            _ = try? snapshot.initialRows(service: .metDecember2021)
            snapshots.append(snapshot)
        }
        let consecutive = zip(snapshots, snapshots.dropFirst()).allSatisfy { $1.year == $0.year + 1 }
        guard snapshots.count >= 2, consecutive, snapshots.allSatisfy({ $0.categories == snapshots[0].categories }) else { continue }
        let calibration = Calibration(
            categories: snapshots[0].categories, years: snapshots.map(\.year), snapshots: snapshots.map(\.counts),
            assumedLeaving: Array(repeating: 0.06, count: snapshots[0].categories.ranks.count))
        _ = calibration.fragment(source: "t.csv")
        _ = calibration.estimatesCSV()
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTable(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver (LLVM ≥ 11), run from the entry point SwiftPM gives an executable
/// (`FuzzHomeOfficeTable_main`, which it links as `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzHomeOfficeTable_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzerTestOneInput(data, size) }
}
#else
@main enum Replay {
    /// Replays each file given (a corpus or a crash found by the fuzzer) through the target.
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            fuzzTable(Array(FileManager.default.contents(atPath: path) ?? Data()))
        }
    }
}
#endif
