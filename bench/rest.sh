#!/usr/bin/env bash
# REST/JSON against gRPC on one gateway, with one load tool (h2load) and the same settings:
#   0. a fresh embedded database seeded with N cases (default 100,000; bench/Netralitas.Bench.Seed);
#      the gateway published as deployed (Release, ReadyToRun, linux-x64) and started once, in
#      Development mode with the per-caller rate limit lifted (as bench/hot-path.sh), on two Kestrel
#      named endpoints: "Grpc" (HTTP/2 cleartext: gRPC and REST) and "Rest" (HTTP/1.1: REST);
#   1. in alternating order over R rounds (default 3):
#      grpc      gRPC HasOpenCase, a pre-encoded frame (one NIP with an open case);
#      rest      REST GET /v1/personnel/{nip}:hasOpenCase over h2c on the same port, the same NIP and
#                the same h2load settings (-n, -c 16, -m 8, -t 1);
#      rest-mix  the same over 100 NIPs in turn, one of them with an open case;
#      rest-h1   the 100 NIPs over HTTP/1.1 on the Rest port: 128 connections, one request in flight
#                each (no pipelining), as many requests in flight as -c 16 -m 8;
#      batch-rest  POST /v1/personnel:batchCheckOpenCases, a 10,000-NIP JSON body (1 in 100 open);
#      batch-grpc  the unary gRPC BatchCheckOpenCases with the same 10,000 NIPs, a pre-encoded frame;
#      NIPs/s = requests/s x 10,000.
#   Before loading, every answer the load asks for is checked (the 100 REST answers, the REST batch
#   answer NIP by NIP, the gRPC answers byte for byte); during it, h2load must count every request
#   2xx, and the gRPC runs must return exactly the expected bytes (an error is a trailers-only answer
#   with HTTP 200, so the byte count is what catches it).
#   2. a summary table, the REST/gRPC ratio per round, and the targets (exit 1 when one is missed):
#      REST has-open-case >= 0.5 x gRPC HasOpenCase; REST BatchCheckOpenCases >= 500,000 NIPs/s.
#   3. the audit trail: one entry per call sent, by method and protocol (counted with sqlite3), so
#      that every request measured went through the call guard and was recorded.
# Usage: bash bench/rest.sh [cases=100000] [requests=200000] [rounds=3] [batch-requests=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-100000}
requests=${2:-200000}
rounds=${3:-3}
batch_requests=${4:-1000}
clients=16
streams=8
h1_clients=$((clients * streams))
batch_clients=4
batch_size=10000

command -v h2load >/dev/null && command -v jq >/dev/null && command -v curl >/dev/null && command -v sqlite3 >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client jq curl sqlite3 >/dev/null; }
dotnet build -c Release bench/Netralitas.Bench.Seed -v q --nologo >/dev/null
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
work=$(mktemp -d)
trap stop_all EXIT
publish_gateway . "$work/gateway"
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }

dotnet bench/Netralitas.Bench.Seed/bin/Release/net10.0/Netralitas.Bench.Seed.dll "$work/data" "$cases"

# The NIPs. Bench.Seed gives case i the NIP <1965-01-01 + i mod 10,000 days><that + 23 years, yyyyMM>
# <1 + i mod 2><800 + i / 10,000>; cases with i mod 4 = 3 are decided not proven (closed), the others
# are open. Open NIPs for the load: such i < cases, picked at random. NIPs without a case: valid
# ones (real dates, appointed at 22) with sequence numbers 900-999, which the seed never uses.
awk -v cases="$cases" -v n="$batch_size" 'BEGIN {
  srand(42)
  for (i = 0; i < n; i++) {
    if (i % 100 == 0) { do k = int(rand() * cases); while (k % 4 == 3); printf "open %d\n", k }
    else {
      y = 1960 + int(rand() * 40); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
      printf "none %04d%02d%02d%04d%02d%d%03d\n", y, m, d, y + 22, m, 1 + int(rand() * 2), 900 + int(rand() * 100)
    }
  } }' >"$work/draw.txt"
awk '$1 == "open" { printf "1965-01-01 + %d days\n", $2 % 10000 }' "$work/draw.txt" | date -f - +%Y%m%d >"$work/open-births.txt"
awk 'NR == FNR { birth[FNR] = $1; next }
  $1 == "open" { b = birth[++o]; printf "%s%04d%s%d%03d\ttrue\n", b, substr(b, 1, 4) + 23, substr(b, 5, 2), 1 + $2 % 2, 800 + int($2 / 10000); next }
  { printf "%s\tfalse\n", $2 }' "$work/open-births.txt" "$work/draw.txt" >"$work/expected.tsv"
cut -f1 "$work/expected.tsv" | jq -R . | jq -sc '{nips: .}' >"$work/batch.json"
nip=$(head -1 "$work/expected.tsv" | cut -f1) # the NIP of the single-NIP runs: one with an open case
# One HasOpenCase request and one BatchCheckOpenCases request as gRPC puts them on the wire: flag 0,
# 4-byte length, the message (field 1: the NIP, or each NIP); and the answers expected back.
printf '\x00\x00\x00\x00\x14\x0a\x12%s' "$nip" >"$work/request.bin"
while IFS=$'\t' read -r n open; do printf '\x0a\x12%s' "$n"; done <"$work/expected.tsv" >"$work/batch.msg"
{ printf '\x00'; be32 "$(stat -c %s "$work/batch.msg")"; cat "$work/batch.msg"; } >"$work/batch.bin"
while IFS=$'\t' read -r n open; do # OpenCaseAnswer: nip, and has_open_case = 1, open_case_count = 1 when open
  if [[ $open == true ]]; then printf '\x0a\x18\x0a\x12%s\x10\x01\x18\x01' "$n"; else printf '\x0a\x14\x0a\x12%s' "$n"; fi
done <"$work/expected.tsv" >"$work/batch-answer.msg"
{ printf '\x00'; be32 "$(stat -c %s "$work/batch-answer.msg")"; cat "$work/batch-answer.msg"; } >"$work/batch-answer.bin"
batch_answer_bytes=$(stat -c %s "$work/batch-answer.bin")
hasopencase_answer_bytes=29 # 5 + nip (20) + has_open_case (2) + open_case_count (2)

grpc_port=$(free_port 26500)
rest_port=$(free_port $((grpc_port + 1)))
ASPNETCORE_ENVIRONMENT=Development dotnet "$work/gateway/Netralitas.Gateway.dll" \
  --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc_port" --Kestrel:Endpoints:Grpc:Protocols=Http2 \
  --Kestrel:Endpoints:Rest:Url="http://127.0.0.1:$rest_port" --Kestrel:Endpoints:Rest:Protocols=Http1 \
  --Netralitas:Security:Limits:CallsPerSecond=100000000 --Netralitas:Security:Limits:CallBurst=100000000 \
  --Netralitas:Database:DataDirectory="$work/data" --Netralitas:Logging:Json=false >"$work/gateway.log" 2>&1 &
pids+=($!)
gateway_pid=$!
printf '\x00\x00\x00\x00\x00' >"$work/health.bin"
until curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @"$work/health.bin" \
    "http://127.0.0.1:$grpc_port/grpc.health.v1.Health/Check" 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -q '^00000000020801$'; do
  kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
  sleep 0.1
done
until (exec 3<>"/dev/tcp/127.0.0.1/$rest_port") 2>/dev/null; do sleep 0.1; done
echo "gateway: gRPC and REST over h2c on 127.0.0.1:$grpc_port, REST over HTTP/1.1 on 127.0.0.1:$rest_port;" \
  "$(grep -o 'Open-case index built: [0-9]* NIPs with open cases' "$work/gateway.log")"

# The answers, checked before any load (so the benchmark cannot pass on errors).
fail() { echo "CHECK FAILED: $*" >&2; exit 1; }
answer=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @"$work/request.bin" "http://127.0.0.1:$grpc_port/netralitas.v1.CaseService/HasOpenCase" | od -An -tx1 | tr -d ' \n')
[[ "$answer" == 0000000018* && "$answer" == *10011801 ]] || fail "gRPC HasOpenCase($nip): $answer"
rest_answer=$(curl -s --http2-prior-knowledge "http://127.0.0.1:$grpc_port/v1/personnel/$nip:hasOpenCase")
jq -e --arg nip "$nip" '.nip == $nip and .hasOpenCase == true and .openCaseCount == 1' <<<"$rest_answer" >/dev/null ||
  fail "REST (h2c) $nip: $rest_answer"
rest_answer_bytes=${#rest_answer}
head -100 "$work/expected.tsv" >"$work/mix.tsv"
cut -f1 "$work/mix.tsv" | sed "s|.*|http://127.0.0.1:$grpc_port/v1/personnel/&:hasOpenCase|" >"$work/mix-h2.txt"
cut -f1 "$work/mix.tsv" | sed "s|.*|http://127.0.0.1:$rest_port/v1/personnel/&:hasOpenCase|" >"$work/mix-h1.txt"
for protocol in h2 h1; do # one curl per URL: curl 7.88 sends only the first of several over one h2c connection
  if [[ $protocol == h2 ]]; then flag=--http2-prior-knowledge; else flag=--http1.1; fi
  xargs -n 1 curl -s "$flag" <"$work/mix-$protocol.txt" | jq -r '"\(.nip)\t\(.hasOpenCase)"' | cmp -s - "$work/mix.tsv" ||
    fail "the 100 REST answers over $protocol differ from the seeded data"
done
curl -s --http2-prior-knowledge -H 'content-type: application/json' --data-binary @"$work/batch.json" \
    "http://127.0.0.1:$grpc_port/v1/personnel:batchCheckOpenCases" |
  jq -r '.answers[] | "\(.nip)\t\(.hasOpenCase)\(if .error then "\terror" else "" end)"' | cmp -s - "$work/expected.tsv" ||
  fail "the REST BatchCheckOpenCases answer differs from the seeded data (or has errors)"
curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @"$work/batch.bin" \
  -D "$work/batch-headers.txt" "http://127.0.0.1:$grpc_port/netralitas.v1.CaseService/BatchCheckOpenCases" |
  cmp -s - "$work/batch-answer.bin" || fail "the gRPC BatchCheckOpenCases answer differs from the seeded data"
grep -q '^grpc-status: 0' "$work/batch-headers.txt" || fail "gRPC BatchCheckOpenCases: $(cat "$work/batch-headers.txt")"
echo "answers checked: HasOpenCase over gRPC and REST; 100 NIPs over REST h2c and HTTP/1.1;" \
  "BatchCheckOpenCases over REST and gRPC, $batch_size NIPs ($(grep -c 'true$' "$work/expected.tsv") with an open case)"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gateway_pid/stat"; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; } # user, nice, system: every process
ticks_per_second=$(getconf CLK_TCK)
# One h2load run: scenario label n. Prints: scenario req/s p50-ms p99-ms gateway-CPU-µs-per-request
# others, where others is the CPU used meanwhile by processes other than the gateway and h2load, in
# cores (this machine is shared: a high figure marks a run slowed by someone else).
run() {
  local scenario=$1 label=$2 n=$3 args=() per_request=0
  case $scenario in
    grpc) args=(-c "$clients" -m "$streams" -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/request.bin"
                "http://127.0.0.1:$grpc_port/netralitas.v1.CaseService/HasOpenCase"); per_request=$hasopencase_answer_bytes ;;
    rest) args=(-c "$clients" -m "$streams" "http://127.0.0.1:$grpc_port/v1/personnel/$nip:hasOpenCase"); per_request=$rest_answer_bytes ;;
    rest-mix) args=(-c "$clients" -m "$streams" -i "$work/mix-h2.txt") ;;
    rest-h1) args=(--h1 -c "$h1_clients" -m 1 -i "$work/mix-h1.txt") ;;
    batch-rest) args=(-c "$batch_clients" -m 1 -H 'content-type: application/json' -d "$work/batch.json"
                      "http://127.0.0.1:$grpc_port/v1/personnel:batchCheckOpenCases") ;;
    batch-grpc) args=(-c "$batch_clients" -m 1 -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/batch.bin"
                      "http://127.0.0.1:$grpc_port/netralitas.v1.CaseService/BatchCheckOpenCases"); per_request=$batch_answer_bytes ;;
  esac
  local before machine_before started; before=$(cpu_ticks); machine_before=$(machine_ticks); started=$(date +%s%N)
  { TIMEFORMAT='%U %S'; time h2load -n "$n" -t 1 "${args[@]}" --log-file="$work/$label.tsv" >"$work/$label.txt" 2>&1 || true; } 2>"$work/$label.time"
  local cpu=$(( $(cpu_ticks) - before )) machine=$(( $(machine_ticks) - machine_before )) wall=$(( $(date +%s%N) - started ))
  grep -q "requests: $n total, $n started, $n done, $n succeeded, 0 failed, 0 errored, 0 timeout" "$work/$label.txt" &&
    grep -q "status codes: $n 2xx, 0 3xx, 0 4xx, 0 5xx" "$work/$label.txt" ||
    { echo "h2load $label: not every request succeeded" >&2; cat "$work/$label.txt" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
  if (( per_request > 0 )); then
    local data; data=$(grep -oE 'traffic: .* \(([0-9]+)\) data' "$work/$label.txt" | grep -oE '\([0-9]+\) data' | tr -dc 0-9)
    (( data == n * per_request )) ||
      { echo "h2load $label: $data bytes of answers, expected $n x $per_request (some calls failed)" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
  fi
  local rps; rps=$(grep -oE '[0-9.]+ req/s' "$work/$label.txt" | cut -d' ' -f1)
  local h2load_cpu; h2load_cpu=$(awk '{ print $1 + $2 }' "$work/$label.time")
  cut -f3 "$work/$label.tsv" | sort -n | awk -v rps="$rps" -v label="$scenario" -v cpu="$cpu" -v hz="$ticks_per_second" -v n="$n" \
    -v machine="$machine" -v h2load="$h2load_cpu" -v wall="$wall" '
    { a[NR] = $1 } END { others = (machine - cpu) / hz - h2load; if (others < 0) others = 0
      printf "%s %.1f %.2f %.2f %.0f %.2f\n", label, rps, a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000, cpu / hz * 1e6 / n, others / (wall / 1e9) }'
}
scenarios=(grpc rest rest-mix rest-h1 batch-rest batch-grpc)
count() { case $1 in batch-*) echo "$batch_requests" ;; *) echo "$requests" ;; esac; }
for scenario in "${scenarios[@]}"; do # warm-up: tiered JIT, connections, the audit trail's first pages
  n=$(count "$scenario"); run "$scenario" "warmup-$scenario" $((n / 4)) >/dev/null
done
echo "h2load -t 1; unary: -n $requests -c $clients -m $streams (HTTP/1.1: -c $h1_clients -m 1); batch: -n $batch_requests -c $batch_clients -m 1 of $batch_size NIPs"
echo "per run: requests/s, p50 ms, p99 ms, gateway CPU µs per request, CPU of other processes meanwhile (cores of 2)"
for round in $(seq 1 "$rounds"); do
  order=("${scenarios[@]}")
  if (( round % 2 == 0 )); then order=(); for ((i = ${#scenarios[@]} - 1; i >= 0; i--)); do order+=("${scenarios[i]}"); done; fi
  for scenario in "${order[@]}"; do
    run "$scenario" "$scenario-$round" "$(count "$scenario")" | sed "s/^/$round /"
  done
done | tee "$work/runs.txt" | awk '{ printf "  round %s %-11s %9s req/s  p50 %6s ms  p99 %6s ms  %5s µs CPU  others %s\n", $1, $2, $3, $4, $5, $6, $7 }'

echo
echo "summary (HasOpenCase: requests/s; BatchCheckOpenCases: NIPs/s = requests/s x $batch_size):"
awk -v batch="$batch_size" '
  { v[$1, $2] = $3; if ($7 > others[$1]) others[$1] = $7; if ($1 > rounds) rounds = $1 }
  END {
    printf "  | round | gRPC | REST h2c | REST/gRPC | REST h2c, 100 NIPs | REST HTTP/1.1, 100 NIPs | batch REST (NIPs/s) | batch gRPC (NIPs/s) | batch REST/gRPC | others (cores, max) |\n"
    for (r = 1; r <= rounds; r++) {
      printf "  | %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |\n", r, v[r, "grpc"], v[r, "rest"], v[r, "rest"] / v[r, "grpc"],
        v[r, "rest-mix"], v[r, "rest-h1"], v[r, "batch-rest"] * batch, v[r, "batch-grpc"] * batch, v[r, "batch-rest"] / v[r, "batch-grpc"], others[r]
      g += v[r, "grpc"]; h += v[r, "rest"]; x += v[r, "rest-mix"]; o += v[r, "rest-h1"]; br += v[r, "batch-rest"]; bg += v[r, "batch-grpc"]
    }
    printf "  | mean | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f | %.2f | |\n", g / rounds, h / rounds, h / g, x / rounds, o / rounds,
      br / rounds * batch, bg / rounds * batch, br / bg
    printf "ratio %.4f\nbatch %.0f\n", h / g, br / rounds * batch > "/dev/stderr"
  }' "$work/runs.txt" 2>"$work/means.txt"
# Every call sent is in the audit trail (entries are committed before the answer leaves): the
# answer checks above, the warm-up runs and the rounds.
calls() { echo $(( $1 + ($2) * (requests / 4 + rounds * requests) )); }
batch_calls=$((1 + batch_requests / 4 + rounds * batch_requests))
printf '%s\n' "/netralitas.v1.CaseService/BatchCheckOpenCases|grpc|OK|$batch_calls" \
  "/netralitas.v1.CaseService/BatchCheckOpenCases|rest|OK|$batch_calls" \
  "/netralitas.v1.CaseService/HasOpenCase|grpc|OK|$(calls 1 1)" "/netralitas.v1.CaseService/HasOpenCase|rest|OK|$(calls 201 3)" >"$work/audit-expected.txt"
sqlite3 -readonly "$work/data/netralitas.db" "select Method, Protocol, Status, count(*) from audit_entries
  where Method like '%/HasOpenCase' or Method like '%/BatchCheckOpenCases' group by 1, 2, 3 order by 1, 2, 3" >"$work/audit.txt"
cmp -s "$work/audit.txt" "$work/audit-expected.txt" ||
  { echo "audit trail: entries by method, protocol and status differ from the calls sent (expected, then found):" >&2
    cat "$work/audit-expected.txt" "$work/audit.txt" >&2; exit 1; }
echo "audit trail: one OK entry per call sent ($(awk -F'|' '{ n += $4 } END { print n }' "$work/audit.txt") entries: $(awk -F'|' '{ sub(".*/", "", $1); printf "%s%s %s %s", (NR > 1 ? ", " : ""), $1, $2, $4 }' "$work/audit.txt"))"
echo "gateway peak memory (VmHWM): $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$gateway_pid/status")"
# Anything the gateway logged above info, apart from the two warnings every Development start logs.
others=$(grep -E '^(warn|fail|crit):' "$work/gateway.log" | grep -vE 'Outbox relay idle|DEVELOPMENT MODE' | sort | uniq -c || true)
echo "gateway log: ${others:-no warnings or errors beyond the relay and Development-mode notices}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(h2load --version | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"

missed=0
target() { # label value limit
  if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v >= l) }'; then echo "  met:     $1 $2 >= $3"; else echo "  NOT MET: $1 $2 >= $3"; missed=1; fi
}
echo "targets (means over the rounds):"
target "REST has-open-case / gRPC HasOpenCase (h2c, same settings)" "$(awk '/^ratio/ { printf "%.2f", $2 }' "$work/means.txt")" 0.5
target "REST BatchCheckOpenCases NIPs/s" "$(awk '/^batch/ { print $2 }' "$work/means.txt")" 500000
exit "$missed"
