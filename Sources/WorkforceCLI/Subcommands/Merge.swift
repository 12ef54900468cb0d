import ArgumentParser

extension WorkforceCommand {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the outputs of a sweep's shards into the whole sweep's.",
            discussion: """
                Reads each folder's sweep.json (written by 'workforce sweep --shard i/n') and writes \
                sweep.csv, sweep.json and manifest.json to --out: sweep.csv and sweep.json byte for \
                byte what one run of the whole sweep writes. Refuses folders of different sweeps, \
                points that disagree, and missing points. See docs/sweeps.md.
                """)

        @Argument(help: "Folders written by 'workforce sweep' (or their sweep.json files).")
        var inputs: [String]

        @Option(help: "The folder to write the whole sweep to.")
        var out: String

        @Flag(help: "Print a machine-readable summary (JSON) on stdout instead of the text one.")
        var json = false

        func run() throws {
            try Frontend.merge(inputs, out: out, json: json)
        }
    }
}
