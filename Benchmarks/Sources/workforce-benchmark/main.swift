// Times the engine on the Met-scale scenario: replications per second on one thread and on
// all cores, the time to summarise, and the process's peak memory.
//
//   workforce-benchmark [scenario.yaml] [--replications N] [--single N]
//
// --replications: replications for the all-cores run (default 10,000);
// --single: replications for the one-thread run (default 2,000).
import Foundation
import Workforce
import WorkforceScenario

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return value }
    arguments.removeSubrange(i...(i + 1))
    return n
}
let replications = option("--replications", default: 10_000)
let single = option("--single", default: 2_000)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let path = arguments.first ?? root.appendingPathComponent("Scenarios/benchmark-met-scale.yaml").path

let scenario: LoadedScenario
do {
    scenario = try ScenarioLoader.load(path: path)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(65)
}
let model = scenario.model
let cores = ProcessInfo.processInfo.activeProcessorCount

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

@MainActor func time(_ n: Int, threads: Int) throws -> (run: Double, summary: Double) {
    let clock = ContinuousClock()
    var result: RunResult?
    let run = try clock.measure { result = try Engine.run(model, .init(replications: n, seed: model.timeline.seed, threads: threads)) }
    let summary = clock.measure { _ = Summary(result!, threads: threads) }
    return (seconds(run), seconds(summary))
}

let d = model.dimensions
print("scenario: \(path)")
print("  \(model.initial.reduce(0, +)) officers, \(d.ranks.count) ranks, \(d.ethnicities.count)×\(d.genders.count) groups, service 0–\(d.maxService - 1), \(model.timeline.stepCount) \(model.timeline.step.rawValue) steps")
do {
    let one = try time(single, threads: 1)
    print(String(format: "1 thread:   %6d replications in %7.2f s = %7.1f replications/s (summaries %.2f s)", single, one.run, Double(single) / one.run, one.summary))
    let all = try time(replications, threads: cores)
    print(String(format: "%d threads:  %6d replications in %7.2f s = %7.1f replications/s (summaries %.2f s)", cores, replications, all.run, Double(replications) / all.run, all.summary))
} catch {
    FileHandle.standardError.write(Data("run failed: \(error)\n".utf8))
    exit(70)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "peak memory: %.0f MB", Double(usage.ru_maxrss) / 1024))
