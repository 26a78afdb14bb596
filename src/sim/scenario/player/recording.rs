//! A run recorded as a scenario. Scenario files count time in whole milliseconds while the world's clock
//! counts microseconds, so a session that is to be exported applies its commands on whole milliseconds
//! ([`World::apply_at_next_ms`]); its recording ([`World::to_scenario`]) then replays bit for bit.

use crate::sim::scenario::player::Player;
use crate::sim::scenario::{Scenario, StepKind};
use crate::sim::types::{ms, US_PER_MS};
use crate::sim::world::command::Command;
use crate::sim::world::World;

impl World {
    /// Applies a command at the next whole millisecond of virtual time (running every event up to it
    /// first, as a scenario's player does before each step), so that a recorded session replays exactly.
    pub fn apply_at_next_ms(&mut self, command: Command) -> Result<(), String> {
        let next_ms = self.now().div_ceil(US_PER_MS);
        self.run_until(ms(next_ms));
        self.apply(command)
    }

    /// The run so far as a scenario: the configuration it started from, its seed, every recorded command at
    /// its millisecond, and a duration that ends the replay where the run is now.
    pub fn to_scenario(&self, name: &str) -> Scenario {
        let commands = self.recorded_commands().iter().map(|c| (c.at_us / US_PER_MS, c.command.clone())).collect();
        // The recorded commands carry every live change; start from the configuration before them.
        let mut scenario = Scenario::recorded(name, self.seed(), self.initial_config().clone(), commands);
        scenario.duration_ms = Some(self.now().div_ceil(US_PER_MS));
        scenario
    }
}

impl Player {
    /// The session as a scenario (the UI's export and share link): everything the world recorded (script
    /// commands, clicks and the write load alike) plus the script's other steps that have run so far
    /// (narrations, expectations, predictions), each placed after exactly the commands that came before it,
    /// so that the replay narrates what the session narrated and checks each claim on the same state.
    pub fn to_scenario(&self, name: &str, summary: &str) -> Scenario {
        let mut scenario = self.world().to_scenario(name);
        scenario.summary = summary.to_string();
        let commands = std::mem::take(&mut scenario.steps);
        debug_assert_eq!(commands.len(), self.world().recorded_commands().len(), "one step per recorded command");
        let mut commands = commands.into_iter().enumerate().peekable();
        for (index, step) in self.script()[..self.script_cursor()].iter().enumerate() {
            if matches!(step.kind, StepKind::Do(_)) {
                continue;
            }
            let before = self.script.mark(index).expect("a step that has run has its mark").commands;
            while let Some((_, command)) = commands.next_if(|(i, _)| *i < before) {
                scenario.steps.push(command);
            }
            scenario.steps.push(step.clone());
        }
        scenario.steps.extend(commands.map(|(_, command)| command));
        scenario
    }
}
