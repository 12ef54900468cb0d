import Foundation

/// libFuzzer's entry: one input through the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Read once: the environment does not change during a run.
let selectedTarget = Target.selected

#if FUZZING
/// libFuzzer's driver (LLVM ≥ 11), run from the entry point SwiftPM gives an executable
/// (`WorkforceFuzz_main`, which it links as `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("WorkforceFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzerTestOneInput(data, size) }
}
#else
/// Without libFuzzer (a plain build): replays each file given, e.g. a crash the fuzzer kept.
@main enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            selectedTarget.run(Array(FileManager.default.contents(atPath: path) ?? Data()))
        }
    }
}
#endif
