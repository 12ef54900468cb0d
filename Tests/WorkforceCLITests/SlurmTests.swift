import Foundation
import Testing
import _WorkforceTestSupport

/// The Slurm recipe of docs/sweeps.md (examples/slurm-sweep.sh), run on a one-node cluster that
/// the test starts itself (munged, slurmctld, slurmd with a minimal slurm.conf in a temporary
/// folder) and stops afterwards, whatever happens. Needs root (the daemons run as root) and
/// Debian's slurm-wlm and munge, which scripts/ensure-dependencies installs.
@Suite(.serialized) struct SlurmTests {
    static let programs = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo"]
    static let missing = programs.filter { SweepTests.which($0) == nil && !FileManager.default.isExecutableFile(atPath: "/usr/sbin/\($0)") }
    static let runnable = getuid() == 0 && missing.isEmpty
    static let why = getuid() != 0
        ? "not root: a one-node Slurm cluster needs root to start slurmd"
        : "Slurm or munge is not installed (missing \(missing.joined(separator: ", ")); Debian packages slurm-wlm and munge, installed by scripts/ensure-dependencies)"

    static let vary = ["recruitment[0].ethnicity[1].shares.Asian=0.20:0.40:0.05", "leaving.multipliers[0].factor=1,1.15,1.3"]
    static let replications = "40"

    /// Four array tasks, one killed part way and resubmitted alone, merge to the single-machine
    /// sweep's bytes; the resubmitted task keeps the points it had finished.
    @Test(.timeLimit(.minutes(10)))
    func arrayJobWithAKilledTaskMergesToTheSingleRun() throws {
        try #require(Self.runnable, Comment(rawValue: Self.why))
        let folder = try CLI.temporaryFolder()
        let cluster = try Cluster(folder: folder.appendingPathComponent("cluster"))
        defer { cluster.stop() }
        try cluster.start()

        let whole = folder.appendingPathComponent("whole")
        let single = try CLI.run(
            ["sweep", "Scenarios/example.yaml", "--vary", Self.vary[0], "--vary", Self.vary[1],
             "--replications", Self.replications, "--threads", "1", "--out", whole.path])
        #expect(single.status == 0, "\(single.stderr)")
        let wholeSweep = whole.appendingPathComponent("example-sweep")

        let parts = folder.appendingPathComponent("shard").path
        let environment = [
            "SLURM_CONF": cluster.conf.path, "WORKFORCE": SweepTests.workforce, "SCENARIO": "Scenarios/example.yaml",
            "VARY1": Self.vary[0], "VARY2": Self.vary[1], "REPLICATIONS": Self.replications, "SHARDS": "4", "PARTS": parts,
        ]
        let logs = folder.appendingPathComponent("logs/%A_%a.out").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        func sbatch(_ array: String) throws -> Child {
            try Cluster.launch(
                cluster.program("sbatch"),
                ["--array=\(array)", "--cpus-per-task=1", "--output=\(logs)", "--wait", "examples/slurm-sweep.sh"],
                environment: environment, log: folder.appendingPathComponent("sbatch-\(array).log"))
        }

        // Submit all four; cancel task 2 once it has saved a point and before it has finished.
        let first = try sbatch("1-4")
        let shard2 = URL(fileURLWithPath: "\(parts)/example-sweep-shard-2-of-4")
        var cancelled = false
        let deadline = Date().addingTimeInterval(300)
        while first.isRunning, Date() < deadline {
            let saved = Self.savedPoints(shard2)
            if saved > 0, !FileManager.default.fileExists(atPath: shard2.appendingPathComponent("sweep.json").path) {
                let job = try cluster.query("squeue", ["-h", "-o", "%F"]).split(separator: "\n").first.map(String.init) ?? ""
                let cancel = try cluster.query("scancel", ["\(job)_2"])
                #expect(cancel.isEmpty, "scancel: \(cancel)")
                cancelled = true
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let firstStatus = first.wait()
        #expect(cancelled, "task 2 finished before it could be cancelled")
        #expect(firstStatus != 0, "sbatch --wait reports the cancelled task")
        #expect(!FileManager.default.fileExists(atPath: shard2.appendingPathComponent("sweep.json").path))
        let savedBefore = Self.savedPoints(shard2)
        #expect(savedBefore >= 1 && savedBefore < 4, "task 2 was killed part way: \(savedBefore) of 4 points saved")

        // Resubmit task 2 alone: it resumes from its saved points.
        let again = try sbatch("2")
        #expect(again.wait() == 0, "\(cluster.logs())")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: shard2.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect(manifest["kept"] as? Int == savedBefore)
        #expect(manifest["computed"] as? Int == 4 - savedBefore)

        let merged = folder.appendingPathComponent("merged")
        let merge = try CLI.run(["merge"] + (1...4).map { "\(parts)/example-sweep-shard-\($0)-of-4" } + ["--out", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        for name in ["sweep.csv", "sweep.json"] {
            let a = try Data(contentsOf: merged.appendingPathComponent(name)), b = try Data(contentsOf: wholeSweep.appendingPathComponent(name))
            #expect(a == b, "\(name) of the merged array job differs from the single run's")
        }
    }

    /// Point files a sweep has saved in its work folder(s) under `out`.
    static func savedPoints(_ out: URL) -> Int {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        return items.filter { $0.hasPrefix(".sweep-work-") }.reduce(0) { n, work in
            n + ((try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(work).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.count
        }
    }
}

/// A one-node Slurm cluster in a folder: its own munge key and socket, state, spool, logs and
/// ports, so it touches nothing of the machine's own Slurm or munge. Every daemon runs in the
/// foreground as a child process; `stop` cancels the jobs left and ends each daemon it started.
final class Cluster {
    let folder: URL
    var conf: URL { folder.appendingPathComponent("slurm.conf") }
    private var daemons: [Child] = []

    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for sub in ["state", "spool"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A Slurm or munge program: on the PATH, or in /usr/sbin (the daemons, not on a user's PATH).
    func program(_ name: String) -> String {
        SweepTests.which(name) ?? "/usr/sbin/\(name)"
    }

    func start() throws {
        var key = [UInt8](repeating: 0, count: 1024)
        for i in key.indices { key[i] = UInt8.random(in: 0...255) }
        _ = FileManager.default.createFile(atPath: path("munge.key"), contents: Data(key), attributes: [.posixPermissions: 0o400])
        daemons.append(try Self.launch(
            program("munged"),
            ["--foreground", "--force", "--key-file=\(path("munge.key"))", "--socket=\(path("munge.socket"))",
             "--pid-file=\(path("munged.pid"))", "--log-file=\(path("munged.log"))", "--seed-file=\(path("munge.seed"))"],
            log: folder.appendingPathComponent("munged.out")))
        try wait("munged's socket") { FileManager.default.fileExists(atPath: self.path("munge.socket")) }

        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let port = Int.random(in: 20000...59000)
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        try CLI.write("""
            ClusterName=workforce-test
            SlurmctldHost=\(host)(127.0.0.1)
            SlurmUser=root
            SlurmdUser=root
            SlurmctldPort=\(port)
            SlurmdPort=\(port + 1)
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket=\(path("munge.socket"))
            StateSaveLocation=\(path("state"))
            SlurmdSpoolDir=\(path("spool"))
            SlurmctldPidFile=\(path("slurmctld.pid"))
            SlurmdPidFile=\(path("slurmd.pid"))
            SlurmctldLogFile=\(path("slurmctld.log"))
            SlurmdLogFile=\(path("slurmd.log"))
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/none
            MailProg=/bin/true
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            MpiDefault=none
            ReturnToService=2
            NodeName=\(host) NodeAddr=127.0.0.1 CPUs=\(cpus) State=UNKNOWN
            PartitionName=test Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """, to: conf)
        daemons.append(try Self.launch(program("slurmctld"), ["-D", "-f", conf.path], log: folder.appendingPathComponent("slurmctld.out")))
        daemons.append(try Self.launch(program("slurmd"), ["-D", "-f", conf.path], log: folder.appendingPathComponent("slurmd.out")))
        try wait("the node to be idle") { (try? self.query("sinfo", ["-h", "-o", "%t"]))?.hasPrefix("idle") == true }
    }

    /// Cancels every job left, then ends each daemon (SIGTERM, SIGKILL after 10 s), last started first.
    func stop() {
        if daemons.count == 3 {
            _ = try? query("scancel", ["--full", "--user=root"])
            let until = Date().addingTimeInterval(20)
            while Date() < until, (try? query("squeue", ["-h"]))?.isEmpty == false { Thread.sleep(forTimeInterval: 0.2) }
        }
        for daemon in daemons.reversed() {
            daemon.signal(SIGTERM)
            let until = Date().addingTimeInterval(10)
            while daemon.isRunning, Date() < until { Thread.sleep(forTimeInterval: 0.05) }
            daemon.signal(SIGKILL)
            daemon.wait()
        }
        daemons = []
    }

    /// A Slurm client command's stdout (stderr appended), against this cluster.
    func query(_ name: String, _ arguments: [String]) throws -> String {
        let log = folder.appendingPathComponent("query.out")
        try? FileManager.default.removeItem(at: log)
        try Self.launch(program(name), arguments, environment: ["SLURM_CONF": conf.path], log: log).wait()
        return try CLI.read(log).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The daemons' logs, for a failure message.
    func logs() -> String {
        ["munged.out", "slurmctld.out", "slurmd.out", "slurmctld.log", "slurmd.log"].map { name in
            let text = (try? CLI.read(folder.appendingPathComponent(name))) ?? ""
            return "--- \(name) (last lines)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    private func wait(_ what: String, _ ready: () -> Bool) throws {
        let until = Date().addingTimeInterval(60)
        while !ready() {
            guard Date() < until else {
                struct NotStarted: Error, CustomStringConvertible { var description: String }
                throw NotStarted(description: "the one-node Slurm cluster did not start: no \(what) after 60 s\n\(logs())")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Starts `program` from the repository root, stdout and stderr to `log`.
    static func launch(_ program: String, _ arguments: [String], environment: [String: String] = [:], log: URL) throws -> Child {
        try Child(program, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, log: log.path)
    }
}

/// A child process started with posix_spawn (Foundation's Process could not be waited for once
/// the daemons were running), with default signal handling and an empty signal mask, in the
/// repository root, stdout and stderr appended to a file.
final class Child {
    let pid: pid_t
    private var status: Int32?

    init(_ program: String, _ arguments: [String], environment: [String: String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // env -C: start in the repository root.
        let argv = ["/usr/bin/env", "-C", CLI.root.path, program] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var cArgv = argv.map { strdup($0) } + [nil], cEnvp = envp.map { strdup($0) } + [nil]
        defer { (cArgv + cEnvp).forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgv, &cEnvp)
        guard error == 0 else {
            struct SpawnFailed: Error, CustomStringConvertible { var description: String }
            throw SpawnFailed(description: "could not start \(program): \(String(cString: strerror(error)))")
        }
        self.pid = pid
    }

    var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
        return status == nil
    }

    /// Waits for the child to end; its exit status (128 + signal when killed by one).
    @discardableResult func wait() -> Int32 {
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = raw
        }
        let raw = status!
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    func signal(_ number: Int32) { if isRunning { kill(pid, number) } }
}
