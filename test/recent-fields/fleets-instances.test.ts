/**
 * The recent dstack fields fleets and instances.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import { parseFleets, parseInstances } from "../../config/fleets";
import { rejects, rejectsAll } from "./rejects";

describe("recent dstack fields", () => {
  describe("fleets", () => {
    it("conf-fleets, conf-fleets-object: names, project/name, objects", () => {
      assert.deepStrictEqual(parseFleets(["my-fleet", "other-project/gpu-fleet"]), [
        { project: null, name: "my-fleet" },
        { project: "other-project", name: "gpu-fleet" },
      ]);
      assert.deepStrictEqual(parseFleets([{ project: "p", name: "f" }]), [{ project: "p", name: "f" }]);
      assert.deepStrictEqual(parseFleets([{ name: "f" }, { project: null, name: 7 }]), [{ project: null, name: "f" }, { project: null, name: "7" }]);
      assert.deepStrictEqual(parseFleets([5]), [{ project: null, name: "5" }]);
      assert.deepStrictEqual(parseFleets([]), []);
      assert.equal(parseFleets(null), null);
    });

    it("conf-fleets-bad: three parts, empty parts, wrong types", () => {
      const bad = (text: string) => `invalid fleet reference "${text}": only "<name>" or "<project>/<name>" are allowed`;
      rejects(() => parseFleets(["a/b/c"]), bad("a/b/c"), "invalid_value", [0]);
      rejects(() => parseFleets(["ok", "/a"]), bad("/a"), "invalid_value", [1]);
      rejects(() => parseFleets(["a/"]), bad("a/"), "invalid_value", [0]);
      rejects(() => parseFleets([""]), bad(""), "invalid_value", [0]);
      const expected = 'a fleet: "<name>" or "<project>/<name>", or a mapping with "name" and "project"';
      rejects(() => parseFleets([null]), `expected ${expected}, got null`, "invalid_type", [0]);
      rejects(() => parseFleets([["a"]]), `expected ${expected}, got a list`, "invalid_type", [0]);
      rejects(() => parseFleets([{}]), 'a fleet reference needs "name"', "missing_field", [0, "name"]);
      rejectsAll(() => parseFleets([{ nme: "f" }]), [
        ['unknown field "nme" in a fleet reference; allowed: project, name', "unknown_field", [0, "nme"]],
        ['a fleet reference needs "name"', "missing_field", [0, "name"]],
      ]);
      rejects(() => parseFleets("my-fleet"), 'expected a list of fleets, got a string ("my-fleet")', "invalid_type");
    });
  });

  describe("instances", () => {
    it("conf-instances-str: strings are names; objects by name, hostname or fleet and number", () => {
      assert.deepStrictEqual(parseInstances(["my-fleet-1"]), [{ name: "my-fleet-1" }]);
      assert.deepStrictEqual(parseInstances([{ name: "a" }, { hostname: "10.0.0.2" }, { fleet: "p/f", instance: 2 }, { fleet: { name: "f" }, instance: "0" }]), [
        { name: "a" },
        { hostname: "10.0.0.2" },
        { fleet: { project: "p", name: "f" }, instance: 2 },
        { fleet: { project: null, name: "f" }, instance: 0 },
      ]);
      assert.equal(parseInstances(null), null);
    });

    it("conf-instances-empty and bad selectors", () => {
      rejects(() => parseInstances([]), "instances cannot be empty: list at least one instance, or leave instances out", "invalid_value");
      rejects(() => parseInstances([""]), "the instance name cannot be empty", "invalid_value", [0]);
      rejects(() => parseInstances([{ hostname: "" }]), "the hostname cannot be empty", "invalid_value", [0, "hostname"]);
      rejects(() => parseInstances([{}]), 'an instance selector needs "name", "hostname", or "fleet" and "instance"', "missing_field", [0]);
      rejects(
        () => parseInstances([{ name: "a", hostname: "b" }]),
        'an instance selector takes only one of "name", "hostname", or "fleet" with "instance"; this one has "name" and "hostname"',
        "conflict",
        [0, "hostname"],
      );
      rejects(() => parseInstances([{ fleet: "f" }]), 'an instance selector with "fleet" also needs "instance", the number of the instance in the fleet', "missing_field", [0, "instance"]);
      rejects(() => parseInstances([{ instance: 1 }]), 'an instance selector with "instance" also needs "fleet"', "missing_field", [0, "fleet"]);
      rejects(() => parseInstances([{ fleet: "f", instance: -1 }]), "the instance number cannot be negative, got -1", "invalid_range", [0, "instance"]);
      rejects(() => parseInstances([{ fleet: "a/b/c", instance: 0 }]), 'invalid fleet reference "a/b/c": only "<name>" or "<project>/<name>" are allowed', "invalid_value", [0, "fleet"]);
      rejects(() => parseInstances([{ fleet: "f", instance: "first" }]), 'expected an integer, got "first"', "invalid_type", [0, "instance"]);
      rejects(() => parseInstances([{ host: "h" }]), 'unknown field "host" in an instance selector; allowed: name, hostname, fleet, instance', "unknown_field", [0, "host"]);
      rejects(() => parseInstances([7]), 'expected an instance name, or a mapping with "name", "hostname", or "fleet" and "instance", got an integer (7)', "invalid_type", [0]);
    });
  });
});
