//! Courses: a track's occupation, bilingual titles, class hours and modules that add up.

use super::*;

impl Generator {
    /// A course of one of the domestic-service occupations, with bilingual titles, class
    /// hours of 16–120 and usually modules that add up to them.
    pub fn course(&mut self) -> Course {
        let core = self.course_core();
        let track = &TRACKS[core.track];
        let built_track = &self.tables.tracks[core.track];
        let mut categories = NonEmpty::one(track.categories[0]);
        for &category in &track.categories[1..] {
            if self.rng.percent(60) {
                categories.push(category);
            }
        }
        let mut course = Course::new(
            core.id.clone(),
            core.code.clone(),
            core.title.clone(),
            self.tables.providers[core.provider].org.clone(),
            built_track.occupation.clone(),
            categories,
            core.training_type,
            core.delivery_mode,
            halves(core.halves),
        );
        let with_modules = self.rng.percent(70);
        let ethics = (core.halves / 20).clamp(2, 16) + self.rng.between(0, 2);
        if with_modules {
            let safety = self.rng.between(2, 6);
            let law = if self.rng.percent(60) {
                self.rng.between(2, 4)
            } else {
                0
            };
            let rest = core.halves - ethics - safety - law;
            let theory = (rest * self.rng.between(30, 50) / 100).max(1);
            let practice = rest - theory;
            let t = &self.tables;
            let mut modules = vec![
                Module::new(
                    built_track.theory.clone(),
                    halves(theory),
                    ModuleTopic::Theory,
                ),
                Module::new(
                    built_track.practice.clone(),
                    halves(practice),
                    ModuleTopic::Practice,
                ),
                Module::new(t.ethics.clone(), halves(ethics), ModuleTopic::Ethics),
                Module::new(t.safety.clone(), halves(safety), ModuleTopic::Safety),
            ];
            if law > 0 {
                modules.push(Module::new(t.law.clone(), halves(law), ModuleTopic::Law));
            }
            course.modules = Some(modules);
        }
        if self.rng.percent(if with_modules { 60 } else { 40 }) {
            course.ethics_hours = Some(halves(ethics));
        }
        course.target_level = core.level;
        if self.rng.percent(25) {
            course.programme = Some(self.rng.pick(&self.tables.programmes).clone());
        }
        course.credits = core.credits.map(halves);
        if core.limited {
            course.valid_from = Some(date(core.enrol_from));
            if self.rng.percent(80) {
                course.valid_until = Some(date(core.enrol_until + self.rng.between(0, 60)));
            }
        }
        self.courses.push(core);
        self.made_up = false;
        course
    }

    /// A course's defining choices, from which [`Generator::course`] writes the record and
    /// completions refer to it.
    pub(super) fn course_core(&mut self) -> CourseCore {
        let track_index = self.rng.weighted(&self.tables.track_weights);
        let track = &TRACKS[track_index];
        let training_type = self.rng.weighted(&[
            (TrainingType::PreJob, 40),
            (TrainingType::OnTheJob, 30),
            (TrainingType::JobTransition, 8),
            (TrainingType::Retraining, 12),
            (TrainingType::ContinuingEducation, 10),
        ]);
        let delivery_mode = self.rng.weighted(&[
            (DeliveryMode::Offline, 45),
            (DeliveryMode::Blended, 40),
            (DeliveryMode::Online, 15),
        ]);
        let maternity = track.categories.contains(&ServiceCategory::MaternityCare);
        let typical: &[i64] = match training_type {
            // Pre-job maternity care needs 60 hours under the strictest known profile.
            TrainingType::PreJob if maternity => &[64, 72, 80, 96, 120],
            TrainingType::PreJob => &[40, 48, 56, 64, 72, 80, 96, 120],
            TrainingType::OnTheJob => &[16, 24, 32, 40, 48, 64],
            TrainingType::JobTransition => &[24, 32, 40, 48, 64, 80],
            TrainingType::Retraining => &[16, 20, 24, 32, 40],
            TrainingType::ContinuingEducation => &[16, 24, 32],
        };
        let mut halves = self.rng.pick(typical) * 2;
        if self.rng.percent(20) {
            halves += if halves < 240 { 1 } else { -1 };
        }
        let credits = self.rng.percent(40).then(|| ((halves + 8) / 16).max(1));
        let level = if self.rng.percent(40) {
            Some(self.level(self.tables.tracks[track_index].levels))
        } else {
            None
        };
        let limited = self.rng.percent(60);
        let (enrol_from, enrol_until) = if limited {
            let from = self.rng.between(0, LAST_ENROLMENT_DAY - 120);
            let until = (from + self.rng.between(180, 1000)).min(LAST_ENROLMENT_DAY);
            (from, until)
        } else {
            (0, LAST_ENROLMENT_DAY)
        };
        let year = naive_day(enrol_from).year();
        let mut code = String::with_capacity(12);
        code.push_str(track.code_prefix);
        code.push('-');
        push_number(&mut code, u64::from(year.unsigned_abs()), 4);
        code.push('-');
        push_number(&mut code, self.rng.between(1, 999) as u64, 3);

        let (level_zh, level_en) = match level {
            Some(l) => (
                format!("（{}）", l.name_zh()),
                format!(" ({})", level_en(l)),
            ),
            None => (String::new(), String::new()),
        };
        let zh = format!("{}{}{}", track.zh, level_zh, training_type.label_zh());
        let en = format!("{}{} {}", track.en, level_en, training_type.label_en());
        let title = built(LocalizedText::new(zh).and_then(|t| t.with(self.tables.en.clone(), en)));
        CourseCore {
            id: self.record_id(),
            code: built(Text::new(code)),
            title,
            provider: self.rng.index(self.tables.providers.len()),
            track: track_index,
            training_type,
            delivery_mode,
            halves,
            credits,
            level,
            limited,
            enrol_from,
            enrol_until,
        }
    }
}
