# Shared by bench/telemetry.sh and bench/compare.sh (after bench/lib/common.sh): HasOpenCase under h2load against two gateways
# ("a" and "b") in alternating rounds, and the median of the rounds' b/a throughput ratios.
# The caller sets: work (a scratch folder), requests, rounds, clients, streams, and defines
# before_round/after_round (label) if it needs them (they may be no-ops).

# HasOpenCase of the first seeded case (open), as gRPC puts it on the wire (see hot-path.sh).
write_request() {
  printf '\x00\x00\x00\x00\x14\x0a\x12%s' 196501011988011800 >"$work/request.bin"
}

check_answer() { # port
  local answer
  answer=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/request.bin" "http://127.0.0.1:$1/netralitas.v1.CaseService/HasOpenCase" | od -An -tx1 | tr -d ' \n')
  [[ "$answer" == 0000000018* && "$answer" == *10011801 ]] || { echo "unexpected HasOpenCase answer on $1: $answer" >&2; exit 1; }
}

h2() { # port label: prints "label req/s p50-ms p99-ms"; every request must succeed
  h2load -n "$requests" -c "$clients" -m "$streams" -t 1 -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$work/request.bin" --log-file="$work/$2.tsv" "http://127.0.0.1:$1/netralitas.v1.CaseService/HasOpenCase" >"$work/$2.txt"
  grep -q "$requests succeeded, 0 failed, 0 errored" "$work/$2.txt" || { cat "$work/$2.txt" >&2; exit 1; }
  local rps; rps=$(grep -oE '[0-9.]+ req/s' "$work/$2.txt" | cut -d' ' -f1)
  cut -f3 "$work/$2.tsv" | sort -n | awk -v rps="$rps" -v label="$2" '{ a[NR] = $1 }
    END { printf "%s %.0f %.2f %.2f\n", label, rps, a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000 }'
}

# pair_rounds a_port b_port: a warm-up each, then the rounds, a first in odd rounds and b first in
# even ones (the order of a pair weighs on neither side); writes $work/rounds.txt and prints it.
pair_rounds() {
  h2 "$1" warmup-a >/dev/null
  h2 "$2" warmup-b >/dev/null
  local round
  for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then one a "$1" "$round"; one b "$2" "$round"; else one b "$2" "$round"; one a "$1" "$round"; fi
  done | sort -t- -k2,2n -s | tee "$work/rounds.txt" | sed 's/^/  /'
}
one() { before_round "$1"; h2 "$2" "$1-$3"; after_round "$1"; }

# pair_summary a_name b_name: the means, and the median of the rounds' b/a throughput ratios (each
# round's pair ran back to back, so a burst of other load moves one ratio, not the median); sets loss (%).
pair_summary() {
  awk -v an="$1" -v bn="$2" '{ split($1, id, "-") } /^a-/ { o += $2; op += $4; a[id[2]] = $2; n++ } /^b-/ { m += $2; mp += $4; b[id[2]] = $2 }
    END { k = 0; for (i in b) r[++k] = b[i] / a[i]
          for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
          med = (k % 2) ? r[(k + 1) / 2] : (r[k / 2] + r[k / 2 + 1]) / 2
          printf "  mean: %s %.0f req/s p99 %.2f ms; %s %.0f req/s p99 %.2f ms; throughput %s/%s %.3f, p99 ratio %.2f\n",
            an, o / n, op / n, bn, m / n, mp / n, bn, an, m / o, mp / op
          printf "  median of the rounds'"'"' %s/%s throughput ratios %.3f (%.1f %% lost)\n", bn, an, med, (1 - med) * 100 }' "$work/rounds.txt" | tee "$work/mean.txt"
  loss=$(grep -oE '\([0-9.-]+ % lost' "$work/mean.txt" | tr -d '( %lost')
}
