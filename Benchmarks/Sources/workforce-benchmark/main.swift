// Times the engine on the Met-scale scenario: replications per second on one thread and on
// all cores, what the summaries add, the process's peak memory, and, when python3 with numpy
// is installed, the ratio to the analyst's numpy script on the same model, one core each.
//
//   workforce-benchmark [scenario.yaml] [--replications N] [--single N] [--numpy N] [--max-load L]
//   workforce-benchmark [scenario.yaml] --workers RUNS [--threads T] [--single N]
//
// It prints the machine's load average first and refuses (exit 75) to time anything when the
// one-minute load is above --max-load (default 0.5): a figure taken while other work shares the
// cores is not a figure.
// --workers RUNS: instead of timing, RUNS runs of N replications (--single) on T threads
// (default 2), each printing every worker's share of the replications and of the CPU time, the
// time it waited for room in the delivery window and how long its thread took to start: whether
// every thread did its share, whatever the load (replication counts and thread CPU time do not
// depend on it, though a loaded machine gives one thread fewer replications).
// --replications: replications for the all-cores run, summarised in bounded memory (default 10,000);
// --single: replications for the one-thread runs (default 2,000);
// --numpy: replications of Benchmarks/numpy/numpy_model.py (default 100; 0 skips the comparison).
// The one-thread runs are timed twice: the engine alone (records discarded) and the whole
// `workforce run` computation (records summarised as they come), so the difference is the
// summaries' cost. One-thread figures are CPU time (the process's, and for numpy the script's
// own timer switched to `time.process_time`), so that other work on a shared machine does not
// count; wall time is printed beside them.
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
let workersRuns = option("--workers", default: 0)
let workerThreads = option("--threads", default: 2)
let single = option("--single", default: 2_000)
let numpyReplications = option("--numpy", default: 100)
/// `--max-load L` (a number), default 0.5.
@MainActor func maxLoadOption() -> Double {
    guard let i = arguments.firstIndex(of: "--max-load"), i + 1 < arguments.count, let x = Double(arguments[i + 1]) else { return 0.5 }
    arguments.removeSubrange(i...(i + 1))
    return x
}
let loadLimit = maxLoadOption()
let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let root = benchmarks.deletingLastPathComponent()
let path = arguments.first ?? root.appendingPathComponent("Scenarios/benchmark-met-scale.yaml").path

@MainActor func load(_ path: String) -> Model {
    do {
        return try ScenarioLoader.load(path: path).model
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(65)
    }
}

/// Discards every record: what the engine costs without any summary.
struct Discard: ReplicationSink {
    mutating func consume(_ record: ReplicationRecord) {}
}

/// Keeps every record, to time the summaries alone by replaying them.
struct Keep: ReplicationSink {
    var records: [ReplicationRecord] = []
    mutating func consume(_ record: ReplicationRecord) { records.append(record) }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

/// CPU seconds used by this process so far (every thread).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU and wall seconds of `body`.
func measure(_ body: () throws -> Void) rethrows -> (cpu: Double, wall: Double) {
    let clock = ContinuousClock()
    let cpu = cpuSeconds()
    let wall = try clock.measure(body)
    return (cpuSeconds() - cpu, seconds(wall))
}

/// CPU and wall seconds for the engine alone and for the engine with summaries, `n` replications
/// on one thread.
func time(_ model: Model, _ n: Int) throws -> (engine: (cpu: Double, wall: Double), whole: (cpu: Double, wall: Double)) {
    let options = Engine.Options(replications: n, seed: model.timeline.seed, threads: 1)
    let plan = Plan(model)
    var discard = Discard()
    let engine = try measure { try Engine.run(plan, options, into: &discard) }
    let whole = try measure { _ = try Engine.summarize(model, options) }
    return (engine, whole)
}

/// CPU seconds to summarise `n` replications' records (`SummaryAccumulator`, then the summary's
/// quantiles), the records made beforehand: the summaries' cost without the engine's noise.
func timeSummaries(_ model: Model, _ n: Int) throws -> Double {
    let plan = Plan(model)
    var keep = Keep()
    try Engine.run(plan, .init(replications: n, seed: model.timeline.seed, threads: 1), into: &keep)
    return measure {
        var summary = SummaryAccumulator(plan: plan, expected: false)
        for record in keep.records { summary.consume(record) }
        _ = summary.finish()
    }.cpu
}

/// CPU seconds per replication of the numpy script, one core (single-threaded BLAS; the script's
/// own `time.perf_counter` timer replaced by `time.process_time`); nil without numpy.
func numpySecondsPerReplication(_ n: Int) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = benchmarks.appendingPathComponent("numpy/numpy_model.py").path
    process.arguments = [
        "python3", "-c",
        "import runpy, sys, time; time.perf_counter = time.process_time; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
        script, "--reps", String(n),
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"]) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let field = text.split(separator: " ").first(where: { $0.hasPrefix("seconds=") }),
          let total = Double(field.dropFirst("seconds=".count)) else { return nil }
    return total / Double(n)
}

/// The one-, five- and fifteen-minute load averages (/proc/loadavg), nil where unreadable.
func loadAverages() -> [Double]? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
    return fields.count == 3 ? fields : nil
}

/// Runs `--workers` runs and prints each worker's share.
func workerShares(_ model: Model, runs: Int, threads: Int, replications n: Int) throws {
    let plan = Plan(model)
    var worst = 1.0
    for run in 1...runs {
        var summary = SummaryAccumulator(plan: plan, expected: false)
        let clock = ContinuousClock()
        let cpu = cpuSeconds()
        var loads: [Engine.WorkerLoad] = []
        let wall = try clock.measure {
            loads = try Engine.run(plan, .init(replications: n, seed: model.timeline.seed, threads: threads), into: &summary)
        }
        let totalCPU = loads.reduce(0) { $0 + $1.cpuSeconds }
        let shares = loads.map { Double($0.replications) / Double(n) }
        let fair = 1 / Double(loads.count)
        worst = min(worst, shares.min()! / fair)
        let each = loads.enumerated().map { k, w in
            String(format: "worker %d: %5d replications (%4.1f%%), %6.2f s CPU (%4.1f%%), waited %5.2f s, started after %.4f s",
                   k, w.replications, 100 * Double(w.replications) / Double(n), w.cpuSeconds, 100 * w.cpuSeconds / max(totalCPU, 1e-9),
                   w.waitingSeconds, w.startSeconds)
        }.joined(separator: "; ")
        print(String(format: "run %2d: %.2f s wall, %.2f s process CPU; ", run, seconds(wall), cpuSeconds() - cpu) + each)
    }
    print(String(format: "least share over %d runs: %.2f of an equal share", runs, worst))
}

let model = load(path)
let cores = ProcessInfo.processInfo.activeProcessorCount
let averages = loadAverages()
print("load average: " + (averages.map { $0.map { String(format: "%.2f", $0) }.joined(separator: " ") } ?? "unknown")
      + " (\(cores) cores); figures refused above \(loadLimit)")
if workersRuns > 0 {
    do {
        try workerShares(model, runs: workersRuns, threads: workerThreads, replications: single)
    } catch {
        FileHandle.standardError.write(Data("run failed: \(error)\n".utf8))
        exit(70)
    }
    exit(0)
}
guard let load1 = averages?.first, load1 <= loadLimit else {
    print("refused: the machine's one-minute load \(averages.map { String(format: "%.2f", $0[0]) } ?? "unknown") is above \(loadLimit); "
          + "run again on an idle machine (or state another limit with --max-load)")
    exit(75)
}
let d = model.dimensions
print("scenario: \(path)")
print("  \(model.initial.reduce(0, +)) officers, \(d.ranks.count) ranks, \(d.ethnicities.count)×\(d.genders.count) groups, service 0–\(d.maxService - 1), \(model.timeline.stepCount) \(model.timeline.step.rawValue) steps")
do {
    let one = try time(model, single)
    print(String(format: "1 thread:   %7d replications: engine %7.2f s CPU (%.2f s wall) = %7.1f replications/s; with summaries %7.2f s CPU (%.2f s wall): summaries %.1f%% of the engine (CPU)",
                 single, one.engine.cpu, one.engine.wall, Double(single) / one.engine.cpu, one.whole.cpu, one.whole.wall,
                 100 * (one.whole.cpu - one.engine.cpu) / one.engine.cpu))
    let summaries = try timeSummaries(model, single)
    print(String(format: "summaries alone (the same records replayed): %7.2f s CPU = %.1f%% of the engine (CPU)",
                 summaries, 100 * summaries / one.engine.cpu))
    let clock = ContinuousClock()
    let all = try clock.measure { _ = try Engine.summarize(model, .init(replications: replications, seed: model.timeline.seed, threads: cores)) }
    print(String(format: "%d threads:  %7d replications with summaries in %7.2f s = %7.1f replications/s",
                 cores, replications, seconds(all), Double(replications) / seconds(all)))
    if numpyReplications > 0, let numpy = numpySecondsPerReplication(numpyReplications) {
        let same = load(benchmarks.appendingPathComponent("numpy/numpy-model.yaml").path)
        let n = max(single / 4, 100)
        let ours = try time(same, n)
        print(String(format: "numpy model, one core, CPU time: numpy %.2f ms a replication (%d); Workforce %.3f ms (engine), %.3f ms (with summaries) (%d): %.1f× and %.1f×",
                     numpy * 1000, numpyReplications, ours.engine.cpu * 1000 / Double(n), ours.whole.cpu * 1000 / Double(n), n,
                     numpy * Double(n) / ours.engine.cpu, numpy * Double(n) / ours.whole.cpu))
    } else if numpyReplications > 0 {
        print("numpy model: skipped (python3 with numpy not found)")
    }
} catch {
    FileHandle.standardError.write(Data("run failed: \(error)\n".utf8))
    exit(70)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "peak memory: %.0f MB", Double(usage.ru_maxrss) / 1024))
