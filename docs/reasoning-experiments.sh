#!/usr/bin/env bash
# The maze and Sudoku runs behind docs/REASONING.md, on built-in generators and qqwing, CPU only.
# Each arm gets the same wall-clock budget; results land in artifacts/experiments/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=artifacts/experiments
SECONDS_PER_ARM="${SECONDS_PER_ARM:-300}"
mkdir -p "$OUT"

# Mazes: train at k = 9 (19x19 grids), evaluate at k = 15 and k = 21. SKIP_MAZE_TRAINING=1 reuses the checkpoints.
for arm in reasoner fixed; do
  [[ -n "${SKIP_MAZE_TRAINING:-}" && -f "$OUT/maze-$arm.bin" ]] && continue
  ./ttc train maze --arm "$arm" --out "$OUT/maze-$arm.bin" --seconds "$SECONDS_PER_ARM" \
    --width 32 --batch 16 --segment-steps 16 --segments 4 --seed 1
done
for arm in reasoner fixed; do
  for k in 15 21; do
    ./ttc eval maze --model "$OUT/maze-$arm.bin" --size "$k" --count 20 --depth 16,64,256 \
      --breadth 1,4 --json "$OUT/maze-$arm-k$k.json" --plots "$OUT/maze-$arm-k$k"
  done
done

# Mazes with a curriculum (k from 5 to 9 per batch) and training depth 128: the table docs/REASONING.md reads first.
for arm in reasoner fixed; do
  ./ttc train maze --arm "$arm" --min-size 5 --out "$OUT/curriculum-maze-$arm.bin" --seconds 360 \
    --width 32 --batch 16 --segment-steps 16 --segments 8 --seed 2
  for k in 9 15 21; do
    ./ttc eval maze --model "$OUT/curriculum-maze-$arm.bin" --size "$k" --count 20 --depth 16,32,64,128,256 \
      --breadth 1,4 --json "$OUT/curriculum-maze-$arm-k$k.json"
  done
done

# Sudoku: train on qqwing simple + easy, evaluate on intermediate and expert. qqwing finds "simple" puzzles slowly
# (about 0.4 s each on this CPU), so the training set is mostly "easy".
./ttc data sudoku --qqwing simple --count 100 --out "$OUT/sudoku-simple.csv"
./ttc data sudoku --qqwing easy --count 1500 --out "$OUT/sudoku-easy.csv"
./ttc data sudoku --qqwing intermediate --count 100 --out "$OUT/sudoku-intermediate.csv"
./ttc data sudoku --qqwing expert --count 100 --out "$OUT/sudoku-expert.csv"
{ cat "$OUT/sudoku-simple.csv"; tail -n +2 "$OUT/sudoku-easy.csv"; } > "$OUT/sudoku-train.csv"
for arm in reasoner fixed; do
  ./ttc train sudoku --arm "$arm" --block mixer --data "$OUT/sudoku-train.csv" --out "$OUT/sudoku-$arm.bin" \
    --seconds "$SECONDS_PER_ARM" --width 64 --batch 64 --segment-steps 16 --segments 2 --seed 1
done
for arm in reasoner fixed; do
  for grade in easy intermediate expert; do
    ./ttc eval sudoku --model "$OUT/sudoku-$arm.bin" --data "$OUT/sudoku-$grade.csv" --count 50 \
      --depth 8,32,128 --breadth 1,4 --json "$OUT/sudoku-$arm-$grade.json" --plots "$OUT/sudoku-$arm-$grade"
  done
done

# Sudoku with the group mixer (the task's default block since it solved grids): generated training puzzles with 22 to
# 36 givens, 600 s per arm, plus RI+NI at the control's number of optimizer steps (1886 in the run behind
# docs/REASONING.md); tests on new generated puzzles with 36 to 24 givens, and on qqwing grades.
groups_sudoku() {  # name, then the arm's own flags
  local name="$1"; shift
  ./ttc train sudoku --min-givens 22 --out "$OUT/groups-sudoku-$name.bin" --width 64 --batch 64 \
    --segment-steps 16 --segments 2 --seed 1 "$@"
  for givens in 36 30 27 24; do
    ./ttc eval sudoku --model "$OUT/groups-sudoku-$name.bin" --size "$givens" --count 100 --depth 8,16,32,64,128,256 \
      --breadth 1,4 --json "$OUT/groups-sudoku-$name-g$givens.json"
  done
  for grade in easy intermediate expert; do     # 100 qqwing puzzles of each grade, kept with the results
    ./ttc eval sudoku --model "$OUT/groups-sudoku-$name.bin" --data "docs/results/sudoku-qqwing-$grade-test.csv" \
      --count 100 --depth 8,16,32,64,128,256 --breadth 1,4 --json "$OUT/groups-sudoku-$name-$grade.json"
  done
}
groups_sudoku reasoner --seconds 600
groups_sudoku fixed --arm fixed --seconds 600
groups_sudoku feedforward --arm feedforward --seconds 600
groups_sudoku reasoner-equal-steps --steps 1886 --seconds 1500
