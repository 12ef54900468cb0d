import Foundation
import WorkforceScenario

/// libFuzzer target over the scenario loader (issue 12): any bytes, read as a scenario file, must
/// give a model or diagnostics, never a trap. Every diagnostic must be one line in the
/// `file:line:column: path: message` form. Run by `scripts/fuzz` (built with
/// `-sanitize=fuzzer -DFUZZING`); without `FUZZING` the executable replays the files it is given.
func fuzzScenario(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self) else { return }
    do {
        _ = try ScenarioLoader.parse(text: text, file: "f.yaml", directory: "/nonexistent")
    } catch {
        for diagnostic in error.diagnostics {
            let line = diagnostic.description
            precondition(line.hasPrefix("f.yaml") || line.hasPrefix("/nonexistent"), "diagnostic outside the file: \(line)")
            precondition(!line.unicodeScalars.contains { $0.properties.generalCategory == .control }, "control character in: \(line)")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzScenario(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver (LLVM ≥ 11), run from the entry point SwiftPM gives an executable
/// (`FuzzScenarioLoader_main`, which it links as `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzScenarioLoader_main")
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
            fuzzScenario(Array(FileManager.default.contents(atPath: path) ?? Data()))
        }
    }
}
#endif
