import ArgumentParser
import CoverAnalysis
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
        subcommands: [Status.self, Index.self])

    /// The store's URL, from --store or COVERLENS_STORE.
    struct StoreOption: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The store (default: $COVERLENS_STORE).", valueName: "postgresql://USER@HOST:PORT/DB"))
        var store: String?

        func location() throws -> StoreLocation {
            let url = store ?? ProcessInfo.processInfo.environment["COVERLENS_STORE"].flatMap { $0.isEmpty ? nil : $0 }
            guard let url else { throw ValidationError("give --store URL or set COVERLENS_STORE") }
            do { return try StoreLocation(url) } catch { throw ValidationError("\(error)") }
        }
    }

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

                It also says whether each model's vectors have an HNSW index (`coverlens store index`); \
                without one, searches against the collection scan every vector.

                Exit status: 0 every shard complete; 3 some shard incomplete or not started; 4 no such \
                collection; 7–12 the store's own errors (see coverlens --help); 64 bad arguments.
                """)

        @Option(name: .long, help: ArgumentHelp("The collection (as given to embed --collection).", valueName: "NAME"))
        var collection: String

        @OptionGroup var store: StoreOption

        func run() throws {
            let location = try store.location()
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
                for model in status.models {
                    print("  search index of \(model.label.isEmpty ? "the model" : model.label): embeddings \(Index.describe(model.index)); "
                          + (model.copyDescriptors ? "copy descriptors \(Index.describeCopies(model.copyIndex))" : "no copy descriptors stored"))
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

    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the HNSW index (cosine) that searches a collection's vectors.",
            discussion: """
                Each model's vectors get their own index (one per model fingerprint, shared by every \
                collection embedded with that model): the embeddings, searched for each candidate's \
                top matches, and the copy descriptors, searched by the copy check. Without an index \
                those searches scan every vector, exactly. Build it once the embedding is done: the \
                covers table takes no writes while it builds, and covers embedded later are added to \
                it one by one. Running it again when the index exists does nothing (--rebuild \
                replaces it, for other parameters).

                The build is fastest when pgvector's graph fits in the server's maintenance_work_mem: \
                unless --maintenance-work-mem is given, it is raised for the build alone to the \
                graph's estimated size (a fifth more, at most 8GB; never lowered), and the estimate \
                is printed. The build is one transaction: stopped, killed or failed, it leaves nothing.

                Example:
                  coverlens store index --collection backlist-2026 \\
                      --store postgresql://coverlens@db:5432/covers

                Exit status: 0 built or already there; 4 no such collection, or nothing embedded to \
                index; 7–12 the store's own errors (see coverlens --help); 13 the server could not \
                build it (out of memory or disk; nothing is kept); 64 bad arguments.
                """)

        @Option(name: .long, help: ArgumentHelp("Index the models this collection was embedded with (default: every model in the store).",
                                                valueName: "NAME"))
        var collection: String?

        @OptionGroup var store: StoreOption

        @Option(name: .customLong("m"), help: ArgumentHelp("Neighbours per vector and layer in the graph (2–100).", valueName: "M"))
        var m = PostgresStore.IndexParameters.defaults.m

        @Option(name: .long, help: ArgumentHelp("Candidates considered for each vector as the graph is built (at least 2 × m, at most 1000).",
                                                valueName: "N"))
        var efConstruction = PostgresStore.IndexParameters.defaults.efConstruction

        @Option(name: .long, help: ArgumentHelp("The server's memory for the build, as PostgreSQL writes sizes (512MB, 8GB); default: the graph's estimated size, at most 8GB.",
                                                valueName: "SIZE"))
        var maintenanceWorkMem: String?

        @Option(name: .long, help: ArgumentHelp("Parallel workers the server may use for the build (max_parallel_maintenance_workers; default: the server's).",
                                                valueName: "N"))
        var parallelWorkers: Int?

        @Flag(name: .long, help: "Drop an existing index and build it again (with the parameters given).")
        var rebuild = false

        func validate() throws {
            if let problem = PostgresStore.IndexParameters(m: m, efConstruction: efConstruction).problem {
                throw ValidationError("--m \(m) --ef-construction \(efConstruction): \(problem)")
            }
            if let size = maintenanceWorkMem, Self.bytes(size) == nil {
                throw ValidationError("--maintenance-work-mem \(size) is not a size such as 512MB or 8GB (at least 1MB)")
            }
            if let workers = parallelWorkers, !(0...64).contains(workers) {
                throw ValidationError("--parallel-workers \(workers) must be between 0 and 64")
            }
        }

        func run() throws {
            // Line by line, so a build's progress shows in a job's log (a pipe or file), not only at its end.
            setvbuf(stdout, nil, _IOLBF, 0)
            let location = try store.location()
            var build = PostgresStore.IndexBuild()
            build.parameters = PostgresStore.IndexParameters(m: m, efConstruction: efConstruction)
            build.maintenanceMemory = maintenanceWorkMem.flatMap(Self.bytes)
            build.parallelWorkers = parallelWorkers
            build.rebuild = rebuild
            try ExitStatus.run {
                let database = try PostgresStore(location: location)
                let models = try database.indexedModels(collection: collection).compactMap { model in
                    try database.vectorCount(modelFingerprint: model.fingerprint).flatMap { $0.count > 0 ? (model, $0.count, $0.dimension) : nil }
                }
                guard !models.isEmpty else {
                    throw StoreError.nothingToIndex(store: location.redacted, what: collection.map { "in collection \($0)" } ?? "in the store")
                }
                for (model, vectors, dimension) in models {
                    guard dimension <= PostgresStore.maximumIndexedDimension else {
                        print("\(model.label): not indexed: pgvector's HNSW index takes vectors of at most "
                              + "\(PostgresStore.maximumIndexedDimension) dimensions, these have \(dimension); searches of them scan exactly")
                        continue
                    }
                    if let existing = try database.index(modelFingerprint: model.fingerprint), existing.valid, !rebuild {
                        let asked = build.parameters == existing.parameters ? "" : " (not the \(build.parameters) asked for: --rebuild replaces it)"
                        print("\(model.label): \(existing.name) exists, \(Self.describe(existing))\(asked); nothing to do")
                        continue
                    }
                    let estimate = PostgresStore.estimatedGraphBytes(vectors: vectors, dimension: dimension, m: m)
                    print("\(model.label): building an HNSW index (cosine) over \(vectors) vectors of \(dimension)-d, \(build.parameters); "
                          + "the graph needs about \(Self.size(estimate))")
                    let report = try database.buildIndex(modelFingerprint: model.fingerprint, build) { progress in
                        let share = progress.total > 0 ? String(format: " (%.0f%%)", 100 * Double(progress.done) / Double(progress.total)) : ""
                        print("  \(ProgressBar.duration(progress.seconds)): \(progress.phase), \(progress.done) of \(progress.total) vectors\(share)")
                    }
                    let fits = report.maintenanceMemory >= report.estimatedGraphBytes ? ""
                        : "; the graph did not fit, so most of it was built on disk (slower): give --maintenance-work-mem \(Self.size(report.estimatedGraphBytes + report.estimatedGraphBytes / 5)) if the server has it"
                    print("  built \(report.index.name) in \(ProgressBar.duration(report.seconds)): \(Self.size(report.index.bytes)) "
                          + "(maintenance_work_mem \(Self.size(report.maintenanceMemory))\(fits))")
                }
                return []
            }
        }

        /// "m 16, ef_construction 64, 390 MiB", or what its absence means.
        static func describe(_ index: PostgresStore.IndexInfo?) -> String {
            guard let index else { return "not indexed (searches scan exactly; coverlens store index builds it)" }
            return "\(index.parameters), \(size(index.bytes))" + (index.valid ? "" : ", INVALID (ignored by the planner: --rebuild)")
        }

        /// The copy descriptors' index, or why they have none: today's (`BandDescriptor`) are longer than
        /// pgvector's HNSW index takes, so `store index` cannot build one and suggesting it would mislead.
        static func describeCopies(_ index: PostgresStore.IndexInfo?) -> String {
            guard index == nil, BandDescriptor.length > PostgresStore.maximumIndexedDimension else { return describe(index) }
            return "searched exactly (\(BandDescriptor.length) values each; pgvector's HNSW index takes at most "
                + "\(PostgresStore.maximumIndexedDimension))"
        }

        /// Bytes in KiB, MiB or GiB.
        static func size(_ bytes: Int) -> String {
            let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
            for (unit, name) in units where bytes >= unit {
                return String(format: "%.1f %@", Double(bytes) / Double(unit), name)
            }
            return "\(bytes) B"
        }

        /// A size as PostgreSQL writes one (kB, MB, GB, TB; 1024-based; a bare number is kB), in bytes; nil when unreadable or under 1MB.
        static func bytes(_ text: String) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let digits = trimmed.prefix { $0.isNumber }
            guard let number = Int(digits) else { return nil }
            let units = ["": 1 << 10, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40]
            guard let unit = units[trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()] else { return nil }
            let (value, overflow) = number.multipliedReportingOverflow(by: unit)
            return overflow || value < 1 << 20 ? nil : value
        }
    }
}
