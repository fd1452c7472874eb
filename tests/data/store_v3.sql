-- A store as schema 3 created it (vises before enrolment: no archived flag, no groups),
-- made by that code (commit d990f91) and kept verbatim to test the upgrade to schema 4.
CREATE TABLE accompaniers (
	id TEXT NOT NULL, 
	name TEXT NOT NULL, 
	federation TEXT NOT NULL, 
	language TEXT, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "accompaniers" VALUES('A1','Anne Martin','SAW-B','fr',1,'2026-11-30 05:19:53.000000');
CREATE TABLE chain_elements (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	level TEXT NOT NULL, 
	label TEXT NOT NULL, 
	dimensions JSON, 
	stakeholders JSON, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE chain_links (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	source_id TEXT NOT NULL, 
	target_id TEXT NOT NULL, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE enterprises (
	id TEXT NOT NULL, 
	name TEXT NOT NULL, 
	pole TEXT NOT NULL, 
	region TEXT NOT NULL, 
	language TEXT NOT NULL, 
	accompanier_id TEXT, 
	legal_form TEXT, 
	sector TEXT, 
	year_founded INTEGER, 
	fte FLOAT, 
	integration_workers INTEGER, 
	volunteers INTEGER, 
	budget_eur FLOAT, 
	social_needs TEXT, 
	aspirations TEXT, 
	missions TEXT, 
	means TEXT, 
	activities TEXT, 
	territory TEXT, 
	governance TEXT, 
	management TEXT, 
	production TEXT, 
	surplus_allocation TEXT, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "enterprises" VALUES('E01','Les Ateliers du Val','insertion','wallonia','fr','A1','','',NULL,12.5,NULL,NULL,NULL,'','','Former et employer des personnes','','','','','','','',2,'2026-11-30 05:19:53.000000');
INSERT INTO "enterprises" VALUES('E02','De Kringloop','autres','flanders','nl','A1','','',NULL,NULL,NULL,NULL,NULL,'','','','','','','','','','',1,'2026-11-30 05:19:53.000000');
CREATE TABLE excerpts (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	text TEXT NOT NULL, 
	dimension TEXT NOT NULL, 
	language TEXT NOT NULL, 
	indicator_id TEXT, 
	wave_code TEXT, 
	respondent_id TEXT, 
	publishable BOOLEAN, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE imports (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	wave_id TEXT NOT NULL, 
	instrument_id TEXT NOT NULL, 
	file_name TEXT NOT NULL, 
	sha256 TEXT NOT NULL, 
	imported_at DATETIME NOT NULL, 
	source_format TEXT NOT NULL, 
	rows_read INTEGER NOT NULL, 
	respondents INTEGER NOT NULL, 
	responses INTEGER NOT NULL, 
	replaced INTEGER NOT NULL, 
	personal_dropped INTEGER, 
	PRIMARY KEY (id)
);
CREATE TABLE indicators (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	question_id TEXT, 
	code TEXT NOT NULL, 
	name TEXT NOT NULL, 
	level TEXT NOT NULL, 
	nature TEXT NOT NULL, 
	dimension TEXT NOT NULL, 
	unit TEXT, 
	source TEXT, 
	baseline FLOAT, 
	target FLOAT, 
	breakdowns JSON, 
	population INTEGER, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE instruments (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	name TEXT NOT NULL, 
	method TEXT NOT NULL, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "instruments" VALUES('E01-Q','E01','Questionnaire','questionnaire',1,'2026-11-30 05:19:53.000000');
CREATE TABLE items (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	instrument_id TEXT NOT NULL, 
	indicator_id TEXT, 
	code TEXT NOT NULL, 
	text TEXT NOT NULL, 
	scale TEXT NOT NULL, 
	reverse BOOLEAN, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "items" VALUES('E01-I1','E01','E01-Q',NULL,'q1','Satisfait ?','likert5',0,1,'2026-11-30 05:19:53.000000');
CREATE TABLE questions (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	text TEXT NOT NULL, 
	purpose TEXT NOT NULL, 
	dimensions JSON, 
	stakeholders JSON, 
	involvement TEXT, 
	methods JSON, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE research_notes (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	step TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	text TEXT NOT NULL, 
	author TEXT, 
	date DATE, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE respondents (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	code TEXT NOT NULL, 
	sex TEXT, 
	age_band TEXT, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "respondents" VALUES('E01-R1','E01','R1',NULL,NULL,1,'2026-11-30 05:19:53.000000');
CREATE TABLE responses (
	enterprise_id TEXT NOT NULL, 
	respondent_id TEXT NOT NULL, 
	wave_id TEXT NOT NULL, 
	item_id TEXT NOT NULL, 
	value FLOAT, 
	text TEXT, 
	PRIMARY KEY (respondent_id, wave_id, item_id)
);
INSERT INTO "responses" VALUES('E01','E01-R1','E01-T0','E01-I1',4.0,NULL);
CREATE TABLE stakeholders (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	category TEXT NOT NULL, 
	description TEXT, 
	involvement_step1 TEXT, 
	involvement_step2 TEXT, 
	involvement_step3 TEXT, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE step_status (
	enterprise_id TEXT NOT NULL, 
	step TEXT NOT NULL, 
	status TEXT NOT NULL, 
	started_on DATE, 
	completed_on DATE, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (enterprise_id, step)
);
INSERT INTO "step_status" VALUES('E01','1','done',NULL,NULL,1,'2026-11-30 05:19:53.000000');
CREATE TABLE vises_meta (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "vises_meta" VALUES('schema_version','3');
INSERT INTO "vises_meta" VALUES('created_at','2026-11-30T05:19:53');
CREATE TABLE waves (
	id TEXT NOT NULL, 
	enterprise_id TEXT NOT NULL, 
	code TEXT NOT NULL, 
	date DATE, 
	eligible INTEGER, 
	revision INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "waves" VALUES('E01-T0','E01','T0',NULL,NULL,1,'2026-11-30 05:19:53.000000');
CREATE INDEX ix_stakeholders_enterprise_id ON stakeholders (enterprise_id);
CREATE INDEX ix_chain_elements_enterprise_id ON chain_elements (enterprise_id);
CREATE INDEX ix_chain_links_enterprise_id ON chain_links (enterprise_id);
CREATE INDEX ix_questions_enterprise_id ON questions (enterprise_id);
CREATE INDEX ix_indicators_enterprise_id ON indicators (enterprise_id);
CREATE INDEX ix_instruments_enterprise_id ON instruments (enterprise_id);
CREATE INDEX ix_items_enterprise_id ON items (enterprise_id);
CREATE INDEX ix_waves_enterprise_id ON waves (enterprise_id);
CREATE INDEX ix_respondents_enterprise_id ON respondents (enterprise_id);
CREATE INDEX ix_responses_enterprise_id ON responses (enterprise_id);
CREATE INDEX ix_responses_wave_id_item_id ON responses (wave_id, item_id);
CREATE INDEX ix_excerpts_enterprise_id ON excerpts (enterprise_id);
CREATE INDEX ix_research_notes_enterprise_id ON research_notes (enterprise_id);
CREATE INDEX ix_imports_enterprise_id_wave_id_sha256 ON imports (enterprise_id, wave_id, sha256);
