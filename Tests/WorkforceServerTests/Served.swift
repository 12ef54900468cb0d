import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import _WorkforceTestSupport

/// A `workforce serve` process on an ephemeral loopback port, as a user starts it, with HTTP
/// through URLSession. `stop()` sends SIGTERM and returns the exit status.
final class Served: @unchecked Sendable {
    let process = Process()
    let url: URL
    let folder: URL
    private let out = Pipe(), err = Pipe()

    /// Starts `workforce serve FOLDER --port 0` with `arguments` and waits (up to 60 s) for the
    /// line with its address.
    init(folder: URL, _ arguments: [String] = []) throws {
        self.folder = folder
        process.executableURL = CLI.productsFolder.appendingPathComponent("workforce")
        process.arguments = ["serve", folder.path, "--port", "0"] + arguments
        process.currentDirectoryURL = CLI.root
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n") && Date() < deadline && process.isRunning {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://[^ /]+/"#, options: .regularExpression), let url = URL(string: String(text[range])) else {
            process.terminate()
            throw Failure("no address printed: \(text) \(String(decoding: err.fileHandleForReading.availableData, as: UTF8.self))")
        }
        self.url = url
        firstLine = text
    }

    /// What the command printed first (the address line).
    let firstLine: String

    /// A temporary folder holding copies of the shipped scenarios named (and their data folder).
    static func folder(with scenarios: [String]) throws -> URL {
        let folder = try CLI.temporaryFolder()
        for name in scenarios {
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Scenarios/\(name)"), to: folder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Scenarios/data"), to: folder.appendingPathComponent("data"))
        return folder
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    struct Reply {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw Failure("not a JSON object: \(text)") }
            return object
        }
    }

    /// One request (GET without a body, POST with one), waiting for the whole response.
    func request(_ path: String, method: String? = nil, body: Data? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.httpMethod = method ?? (body == nil ? "GET" : "POST")
        request.httpBody = body
        request.timeoutInterval = 300
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as! HTTPURLResponse).statusCode, body: data)
    }

    func post(_ path: String, _ object: [String: Any]) async throws -> Reply {
        try await request(path, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// The events of a Server-Sent Events reply: (name, JSON object), in order.
    static func events(_ text: String) throws -> [(name: String, data: [String: Any])] {
        try text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            let lines = block.split(separator: "\n")
            let name = lines.first { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) } ?? ""
            let data = lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? "{}"
            return (name, try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] ?? [:])
        }
    }

    /// The resident memory of the server process, in kB (VmRSS of /proc/PID/status).
    var residentKB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    /// SIGTERM, then the exit status (the server stops cleanly: 0).
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
