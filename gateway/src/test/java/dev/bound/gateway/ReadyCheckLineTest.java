package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A /readyz check says why in one short line, whatever the failure's message holds. */
class ReadyCheckLineTest {
  @Test
  void oneLine_keepsTheFirstLine() {
    assertEquals("Error from server at http://solr: 503",
        ServiceEndpoints.oneLine("Error from server at http://solr: 503\n<html>\n<body>"));
  }

  @Test
  void oneLine_cutsALongLineAt240() {
    String cut = ServiceEndpoints.oneLine("x".repeat(1000));
    assertEquals(240, cut.length());
    assertEquals("x".repeat(239) + "…", cut);
  }

  @Test
  void oneLine_noMessage() {
    assertEquals("null", ServiceEndpoints.oneLine(null));
  }
}
