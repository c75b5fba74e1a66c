import ArgumentParser
import Foundation
import Runs
import Store

/// `coverlens store …`: looking into the shared store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Look into the shared PostgreSQL store (--store or COVERLENS_STORE).",
        discussion: """
            Example:
              coverlens store status --collection backlist-2026 \\
                  --store postgresql://coverlens@db:5432/covers

            Exit status: as `coverlens store status --help` lists them.
            """,
        subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How many covers of a collection are embedded, by which model, and which shards are incomplete.",
            discussion: """
                A shard is complete when its worker finished and every file it announced has a record \
                (an embedding or the reason it could not be decoded). Run an incomplete shard again \
                (the same `coverlens embed … --shard I/N`) to finish it: what was stored is kept.

                Example:
                  coverlens store status --collection backlist-2026 \\
                  --store postgresql://coverlens@db:5432/covers

                Exit status: 0 every shard complete; 3 some shard incomplete or not started; 4 no such \
                collection; 7–12 the store's own errors (see coverlens --help); 64 bad arguments.
                """)

        @Option(name: .long, help: ArgumentHelp("The collection (as given to embed --collection).", valueName: "NAME"))
        var collection: String

        @Option(name: .long, help: ArgumentHelp("The store (default: $COVERLENS_STORE).", valueName: "postgresql://USER@HOST:PORT/DB"))
        var store: String?

        func run() throws {
            let url = store ?? ProcessInfo.processInfo.environment["COVERLENS_STORE"].flatMap { $0.isEmpty ? nil : $0 }
            guard let url else { throw ValidationError("give --store URL or set COVERLENS_STORE") }
            let location: StoreLocation
            do { location = try StoreLocation(url) } catch { throw ValidationError("\(error)") }
            var incomplete = false
            try ExitStatus.run {
                let status = try PostgresStore(location: location).status(collection: collection)
                print("collection \(status.name) at \(location.redacted): \(status.files) files registered")
                if status.models.isEmpty { print("  no model has embedded it yet"); incomplete = true }
                for model in status.models {
                    print("  \(model.label.isEmpty ? "model" : model.label) (fingerprint \(model.fingerprint.prefix(16))…): "
                          + "\(model.embedded) embedded, \(model.decodeErrors) could not be decoded")
                    let shards = model.shards
                    guard let count = shards.first?.count else { continue }
                    let open = model.incompleteShards
                    incomplete = incomplete || !open.isEmpty
                    print("    shards: \(count - open.count) of \(count) complete"
                          + (open.isEmpty ? "" : "; incomplete: " + open.map(Self.describe).joined(separator: ", ")))
                }
                return []
            }
            if incomplete { throw ExitCode(ExitStatus.skippedFiles) }
        }

        static func describe(_ shard: CollectionStatus.ShardStatus) -> String {
            guard let expected = shard.expected else { return "\(shard.index) (never started)" }
            return "\(shard.index) (\(shard.done) of \(expected) files\(shard.finished ? "" : ", not finished"))"
        }
    }
}
