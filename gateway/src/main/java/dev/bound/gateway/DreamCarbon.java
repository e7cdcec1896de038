package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The carbon account of pre-generation since start: each dream is charged at its own hour's
 * intensity; each variant hit is credited at the hour it is served. What a dream would have
 * emitted as a live miss in the hour its pool was last asked, less what it emitted in its own
 * hour, is the carbon shifted into cleaner hours.
 */
final class DreamCarbon {
  private long dreams;
  private long stored;
  private double wh;
  private double gco2eCharged;
  private double gco2eAtDemand;
  private long variantHits;
  private double variantWh;
  private double gco2eCredited;

  /**
   * @param wh the dream's upstream energy by the energy model
   * @param ownIntensity gCO2e/kWh of the hour it ran in
   * @param demandIntensity gCO2e/kWh of the hour its pool was last asked by live traffic
   */
  synchronized void dreamed(double wh, double ownIntensity, double demandIntensity,
      boolean kept) {
    dreams++;
    stored += kept ? 1 : 0;
    this.wh += wh;
    gco2eCharged += wh / 1000 * ownIntensity;
    gco2eAtDemand += wh / 1000 * demandIntensity;
  }

  /** A variant hit that avoided {@code wh} upstream in an hour of {@code intensity}. */
  synchronized void served(double wh, double intensity) {
    variantHits++;
    variantWh += wh;
    gco2eCredited += wh / 1000 * intensity;
  }

  synchronized ObjectNode json() {
    ObjectNode n = Json.object();
    n.put("pregenerated", dreams);
    n.put("pregenerated_stored", stored);
    n.put("pregeneration_wh", EnergyAccounting.round(wh));
    n.put("pregeneration_gco2e", EnergyAccounting.round(gco2eCharged));
    n.put("pregeneration_gco2e_at_demand_hours", EnergyAccounting.round(gco2eAtDemand));
    n.put("gco2e_shifted", EnergyAccounting.round(gco2eAtDemand - gco2eCharged));
    n.put("variant_hits", variantHits);
    n.put("variant_hits_wh", EnergyAccounting.round(variantWh));
    n.put("variant_hits_gco2e_at_serving_hours", EnergyAccounting.round(gco2eCredited));
    n.put("since", "start");
    return n;
  }
}
