# Sourced by the Benchmarks scripts that train on generated covers.
# generated_set BINARY FOLDER PER_CLASS SEED GAP: `coverlens synth` writes PER_CLASS covers per class
# into FOLDER once (FOLDER/.done marks a finished set, so a rerun reuses it and its cached embeddings).
generated_set() {
    local bin=$1 folder=$2 n=$3 seed=$4 gap=$5
    if [ ! -f "$folder/.done" ]; then
        $bin synth --out "$folder" --per-class "$n" --candidates 0 --seed "$seed" --class-gap "$gap" --replace
        touch "$folder/.done"
    fi
}
