// What the page shows of a connection's statistics: the round-trip time and route of the
// candidate pair in use. No DOM here.

/** {rttMs, route: 'direct'|'relayed'} of the selected pair, nulls before there is one, null if `pc` is closed. */
export async function selectedPair(pc) {
  let report;
  try {
    report = await pc.getStats();
  } catch {
    return null; // closed while asking
  }
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      pair = report.get(s.selectedCandidatePairId) ?? pair;
    }
  });
  // Firefox has no transport stats; it marks the pair itself.
  report.forEach((s) => {
    if (!pair && s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) {
      pair = s;
    }
  });
  if (!pair) {
    return { rttMs: null, route: null };
  }
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  const relayed = local?.candidateType === 'relay' || remote?.candidateType === 'relay';
  return {
    rttMs: typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null,
    route: relayed ? 'relayed' : 'direct',
  };
}
