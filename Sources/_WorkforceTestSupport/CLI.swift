import Foundation

/// Not API: runs the built `workforce` binary (or a repository script) as a user would, for
/// the end-to-end tests (after swift-argument-parser's `ArgumentParserTestHelpers`).
public enum CLI {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The folder holding the test bundle, which also holds the `workforce` executable.
    public static let productsFolder: URL = {
        var url = Bundle.main.bundleURL
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("workforce").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The repository root (for the shipped scenarios): this file is Sources/_WorkforceTestSupport/CLI.swift.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `workforce` with `arguments`, by default in the repository root.
    public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Outcome {
        try launch(productsFolder.appendingPathComponent("workforce"), arguments, in: directory, environment: environment)
    }

    /// Runs `scripts/<name>` with `arguments` in the repository root.
    public static func script(_ name: String, _ arguments: [String]) throws -> Outcome {
        try launch(root.appendingPathComponent("scripts").appendingPathComponent(name), arguments)
    }

    private static func launch(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary folder, removed with everything in it when the test process exits
    /// (a test that fails keeps its folder until then, so it can be looked at while debugging).
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("workforce-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryFolders.shared.add(url)
        return url
    }

    public static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    public static func read(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}

/// The temporary folders the tests made, removed at process exit (one `atexit` handler for all
/// of them, since Swift Testing has no suite-wide tear-down). Thread-safe: tests run in parallel.
final class TemporaryFolders: @unchecked Sendable {
    static let shared = TemporaryFolders()
    private let lock = NSLock()
    private var folders: [URL] = []

    private init() {
        atexit { TemporaryFolders.shared.removeAll() }
    }

    func add(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        folders.append(url)
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for url in folders { try? FileManager.default.removeItem(at: url) }
        folders.removeAll()
    }
}
