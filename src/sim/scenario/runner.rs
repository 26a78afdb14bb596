//! Runs a scenario through a world: commands at their times, then the tail. Shared by the CLI, the tests and
//! the UI's lesson player so that every one of them replays a file the same way.

use crate::sim::scenario::Scenario;
use crate::sim::types::ms;
use crate::sim::world::World;

/// Builds the world for a scenario and plays every step; a command the world refuses is an error naming
/// the step.
pub fn run_scenario(scenario: &Scenario) -> Result<World, String> {
    let mut world = World::new(scenario.config.clone(), scenario.seed)?;
    for (step, (at_ms, command)) in scenario.commands().enumerate() {
        world.run_until(ms(at_ms));
        world.apply(command.clone()).map_err(|e| format!("steps[{step}] at {at_ms} ms: {e}"))?;
    }
    world.run_until(ms(scenario.end_ms()));
    Ok(world)
}

impl World {
    /// Applies a command at the next whole millisecond of virtual time (running events up to it first), so
    /// that a recorded session — whose file format counts milliseconds — replays bit for bit.
    pub fn apply_at_next_ms(&mut self, command: crate::sim::world::command::Command) -> Result<(), String> {
        let next_ms = self.now().div_ceil(crate::sim::types::US_PER_MS);
        self.run_until(ms(next_ms));
        self.apply(command)
    }

    /// The session so far as a scenario (milliseconds; see [`World::apply_at_next_ms`]).
    pub fn to_scenario(&self, name: &str) -> Scenario {
        let commands = self
            .recorded_commands()
            .iter()
            .map(|c| (c.at_us / crate::sim::types::US_PER_MS, c.command.clone()))
            .collect();
        // The recorded commands carry every live change; start from the configuration before them.
        let config = self.initial_config().clone();
        let mut scenario = Scenario::recorded(name, self.seed(), config, commands);
        scenario.duration_ms = Some(self.now().div_ceil(crate::sim::types::US_PER_MS));
        scenario
    }
}
