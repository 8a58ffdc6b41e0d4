"""A concept lexicon shared by German and English.

Guideline triggers list the words the comms team thought of; people use
others ("Verfahren" for a lawsuit, "flooding" for an incident, "drop the link"
for sharing). The lexicon maps words of both languages to concept ids, and
retrieval adds a concept token for every concept a word belongs to, to the
question and to each guideline alike: a German question then finds a
guideline through its English triggers and a synonym finds the trigger it
stands for. The guideline files stay the comms team's; the lexicon is
language knowledge, not policy, and works with any knowledge base whose
triggers use ordinary words.

Entry syntax (words are compared case- and accent-folded; "ae", "oe", "ue"
count as umlauts):

- ``word``: the word's stem in the entry's language ("klage" also finds "Klagen")
- ``word*``: any word starting with it ("kartell*": "Kartellamt", "Kartellverfahren")
- ``*word``: any word ending with it, a German compound's head ("*unfall": "Arbeitsunfall")
- ``*word*``: any word containing it (only for long, unambiguous parts)
- ``two_words``: consecutive words; each may end in ``*``; a ``+`` between them stands for up
  to six other words ("dass_ich_+_arbeite": "dass ich seit Jahren bei uns arbeite")

A concept may also be a *finding*: its words alone reveal a risk (an
incident, a lawsuit, a press contact), whatever the question asks. Those are
reported like the detectors' findings and can only make an answer stricter.
"""

from __future__ import annotations

from dataclasses import dataclass

import Stemmer

from knowledge.text import STOPWORDS, fold

_STOP = STOPWORDS["de"] | STOPWORDS["en"]

# concept id: (German entries, English entries). Which topic a concept points to is the knowledge
# base's word: a topic lists its concepts in topics.yaml (``concepts:``).
CONCEPTS: dict[str, tuple[str, str]] = {
    # -- sharing and publishing ------------------------------------------------------
    "share": (
        """teilen teile teilt geteilt weiterteilen weiterleiten weitergeben weiterempfehlen verbreiten reposten
        repost* retweet* liken geliked gelikt kommentieren sharen geshared gesharet weitersagen pushen
        boosten in_die_story in_meine_story""",
        """share shares shared sharing reshare* repost* retweet* forward forwarding liking amplify boost
        pass_on drop_the_link upvote""",
    ),
    "published_content": (
        """pressemitteilung* pressemeldung* presseinfo* newsroom firmenblog* unternehmensblog* blogartikel*
        blogbeitrag* karriereseite* karriereportal* stellenanzeige* stellenangebot* stellenausschreibung*
        jobangebot* jobanzeige* jobpost* geschäftsbericht* nachhaltigkeitsbericht* jahresbericht*
        unsere_homepage unserer_homepage unsere_website unserer_website unsere_webseite unserer_webseite
        firmenwebsite unternehmensseite* firmenseite* firmenprofil* unternehmensprofil* firmenaccount*
        firmenpost* firmenbeitr* unternehmensbeitr* post_von_unserer_firma post_von_unserem von_unserer_firma
        von_unserem_firmenaccount der_firma_zum unser*_+_post unser*_+_beitrag* unseres_+_teams ankündigung*
        imagefilm* imagevideo* werbespot* *spot tv_spot werbekampagne* firmenvideo* firmenpodcast* kundenmagazin*
        mitarbeitermagazin* broschüre* veröffentlicht* offiziell* öffentlich abrufbar bereits_online
        schon_online ist_online live_gegangen""",
        """press_release* newsroom company_blog blog_post* careers_page career_page careers_site job_ad*
        job_post* job_opening* vacanc* annual_report* sustainability_report* our_homepage our_website
        company_website company_page company_account official officially published publicly already_online
        is_live went_live now_live put_out brochure company_+_post* company_+_announcement* company_+_video*
        our_+_post our_+_posts event_page our_+_page announcement*""",
    ),
    "event": (
        """messe messen messestand* hausmesse* karrieremesse* jobmesse* tag_der_offenen_tür firmenlauf*
        jubiläum* firmenjubiläum* sponsoring* veranstaltung* konferenz* kongress* tagung* roadshow""",
        """trade_fair* trade_show* expo booth open_day job_fair career_fair anniversary sponsor* conference*
        summit roadshow company_run charity_run""",
    ),
    # -- what is not public ------------------------------------------------------------
    "unreleased": (
        """prototyp* erlkönig* vorserie* testphase* neuheit* unveröffentlicht* unangekündigt* geheim*
        codename* projektname* roadmap* pipeline entwicklungsabteilung* designentwurf* launch* markteinführung*
        marktstart* produktstart* teaser* andeuten teasern neues_design neue_version nächste_generation
        kommt_bald demnächst""",
        """prototype* mock_up mockup* pre_production preproduction unreleased unannounced secret* code_name*
        codename* roadmap* pipeline prelaunch pre_launch launch* rollout roll_out rolls_out teaser* tease*
        sneak_peek new_design new_version next_generation upcoming coming_soon in_development""",
    ),
    "figures": (
        """umsatz* gewinn* marge margen kennzahl* auftragseingang* absatz* verkaufszahl* quartalszahl*
        quartalsergebnis* jahresabschluss* bilanz* ebit* prognose* dividende* budget* nutzerzahl* kundenzahl*
        mitarbeiterzahl* conversion* rekord* wachstum* preiserhöhung* gehaltsband* gehaltsbänder* preisliste*
        konditionen rabattstaffel*""",
        """revenue* turnover profit* margin* kpi kpis ebit* earnings forecast* dividend* budget* sales_figures
        sales_numbers active_users user_numbers headcount conversion_rate* growth_rate churn record_quarter
        record_year price_increase* price_list* pricing salary_band* pay_scale*""",
    ),
    "deal": (
        """übernahme* fusion* zukauf* beteiligung* börsengang* finanzierungsrunde* investor* ausgliederung*
        abspaltung* joint_venture vertrag verträge vertragsabschluss* ausschreibung* großauftrag*
        partnerschaft* umstrukturierung* reorganisation* restrukturierung* stellenabbau* entlassung*
        kündigungswelle* kurzarbeit* standortschließung* werksschließung* schließung* verlagerung*
        neuer_standort neues_werk expansion*""",
        """merger* acquisition* acquire acquiring takeover* buyout* ipo funding_round investor* spin_off
        spinoff carve_out divest* contract contracts tender* deal deals partnership* joint_venture
        restructur* reorg reorgs reorganization reorganisation layoff* lay_off* redundanc* job_cuts
        furlough* closure* relocat* new_site new_plant expansion*""",
    ),
    "internal": (
        """intern interne internen internes interner intranet* vertraulich* geheimhaltung* nda memo* rundmail*
        rundschreiben* tagesordnung* protokoll* organigramm* betriebsversammlung* vorstandssitzung*
        aufsichtsrat* klausur* strategiepapier* strategieworkshop* führungskräftetagung* mitarbeiterinfo*
        nur_für_den_internen folien foliensatz* whiteboard* dashboard*""",
        """internal internally intranet* confidential* nda memo memos all_hands town_hall townhall agenda
        minutes org_chart* board_meeting leadership_offsite management_offsite strategy_paper slide_deck
        slides deck whiteboard* dashboard* need_to_know""",
    ),
    "customer": (
        """kunde kunden kundin kundenprojekt* kundenname* kundenlogo* auftraggeber* referenzkunde* beim_kunden
        bei_kunden kundenstandort* kundengelände* kundenbesuch* fallstudie* referenzprojekt* erfolgsgeschichte*""",
        """customer customers client clients client_site customer_site customer_project* client_project*
        reference_customer case_stud* success_stor*""",
    ),
    "workplace": (
        """werkshalle* halle produktion* fertigung* produktionshalle* fertigungslinie* anlage anlagen maschine*
        lager lagerhalle* labor baustelle* rechenzentrum* serverraum* arbeitsplatz* schreibtisch* bildschirm
        bildschirme""",
        """factory_floor shop_floor production_line assembly_line plant machine machines machinery warehouse lab
        labs laboratory construction_site data_center data_centre server_room workplace desk screen screens""",
    ),
    # -- speaking for the company --------------------------------------------------------------
    "press": (
        """journalist* reporter* redakteur* redakteurin* korrespondent* presseanfrage* medienanfrage*
        fernsehteam* kamerateam* nachrichtenagentur* dpa bloomberg reuters handelsblatt* wirtschaftswoche""",
        """journalist* reporter* correspondent* tv_crew camera_crew news_agency bloomberg reuters afp
        financial_times wall_street_journal wsj press_inquir* media_inquir*""",
    ),
    "news_media": (
        """presse zeitung* lokalzeitung* tageszeitung* fachzeitschrift* magazin fernsehsender* radiosender*
        rundfunk* die_medien den_medien der_medien""",
        """press newspaper* magazine* tabloid* the_media news_outlet* tv_station radio_station""",
    ),
    "statement": (
        """stellungnahme* statement* im_namen sprecher* unternehmenssprecher* pressesprecher* haltung
        offizielle_position gerücht* dementieren dementi""",
        """statement* on_behalf spokesperson* spokesman spokeswoman official_position stance rumour* rumor*
        deny""",
    ),
    "legal": (
        """klage* *klage sammelklage* anklage* musterklage* verklag* gericht* rechtsstreit* kartell* preisabsprache* staatsanwalt* ermittlungen razzia*
        bußgeld* strafzahlung* sanktion* urteil anwalt anwälte anwältin* aufsichtsbehörde* finanzamt*
        steuerprüfung* betriebsprüfung* patentstreit* verfahren_gegen läuft_ein_verfahren ermittlungsverfahren*
        gerichtsverfahren* kartellverfahren* whistleblow* hinweisgeber* insiderhandel* insidergeschäft*
        korruption* bestechung* untreue veruntreu* steuerhinterziehung* geldwäsche* betrugsvorw* bilanzbetrug*
        betrugsverdacht* kartellamt*""",
        """lawsuit* sued suing court courts litigation lawyer* attorney* antitrust cartel* price_fixing
        prosecutor* investigation* subpoena* regulator* penalt* sanction* tax_authorit* patent_dispute
        whistleblow* allegation* insider_trading insider_dealing fraud bribery corruption embezzlement
        tax_evasion money_laundering indicted indictment""",
    ),
    "appearance": (
        """vortrag* gastvortrag* vorträge keynote* podium* podiumsdiskussion* panel* diskussionsrunde* interview*
        podcast* gastbeitrag* fachverlag* verlag masterarbeit* bachelorarbeit* abschlussarbeit* doktorarbeit*
        befragung* befragen umfrage* rede referent* speaker* moderation* moderier* webinar* barcamp* meetup*
        session*""",
        """talk talks keynote* panel* interview* podcast* guest_article guest_post guest_blog publisher thesis
        dissertation survey* speech speaker* moderat* webinar* lecture* fireside_chat ama barcamp* meetup*
        session*""",
    ),
    # -- incidents ----------------------------------------------------------------------
    "incident": (
        """*unfall* unglück* explosion* feuer hochwasser* überschwemm* überflut* wasserschaden* sturm unwetter*
        stromausfall* einsturz* eingestürzt* verletzte verletzter schwer_verletzt leicht_verletzt verunglückt*
        tote toten todesfall* polizei* feuerwehr* rettungswagen* krankenwagen* notarzt* evakuier* verunreinig*
        vergiftung* salmonell* listeri* legionell* gasaustritt* chemieunfall* überfall* einbruch* eingebrochen geklaut* gestohlen* diebstahl*
        bombendrohung* amok*""",
        """accident* explosion* fire fires flood flooding flooded storm power_cut power_outage blackout
        collapse* injur* casualt* fatal* died death deaths police ambulance* paramedic* evacuat* contaminat*
        poisoning salmonella listeria legionella outbreak gas_leak spill spilled spills robbery break_in
        burglar* theft stolen bomb_threat""",
    ),
    "emergency": (
        """notfall* krise* krisenplan* krisenfall* krisenstab* krisenkommunikation* ernstfall* ruf_+_schad*
        rufschädig* imageschaden* unserem_ruf""",
        """emergency emergencies crisis crises crisis_plan contingency_plan contingency reputation*
        damage_+_reputation""",
    ),
    "outage": (
        """doppelt_abgebucht doppelte_abbuchung* falsch_abgebucht ausfall ausfälle *ausfall systemausfall* serverausfall* ausgefallen störung* abgestürzt absturz* hackerangriff* cyberangriff* gehackt hacker*
        datenleck* datenpanne* sicherheitslücke* sicherheitsvorfall* schadsoftware* trojaner* phishing*
        spam_mail* spammail* spam_e* verschickt_spam schickt_spam verschicken_spam geleakt* durchgestochen""",
        """outage* crashed hacked hacker hackers breach breached data_leak* leaked ransomware malware phishing*
        compromised defaced glitch* double_charg* charged_twice charging_+_twice sending_spam sends_spam sent_spam spam_email* spam_mail* security_incident*
        vulnerabilit*""",
    ),
    "backlash": (
        """shitstorm* empörung* empört* aufschrei* boykott* boykottier* greenwashing* vorwurf* vorwürfe
        vorwerfen vorgeworfen wirft_uns werfen_uns skandal* hasskommentar* hasswelle* kritikwelle*
        negativschlagzeil* kommentare_explodier* wütend* falschmeldung* an_den_pranger pranger* protest_gegen
        proteste_gegen aktivist* schlecht_dasteh* negative_presse schlechte_presse in_der_kritik
        unter_beschuss am_pranger tausendfach_geteilt deepfake* schlecht_aussehen macht_die_runde""",
        """shitstorm* backlash outrage* uproar boycott* greenwash* accuse accused accuses accusing accusation*
        allegation* alleged scandal* pile_on hate_comments hate_wave furious angry_comments angry_customers
        bad_press negative_press fake_news activist* protest_against protests_against review_bomb* under_fire
        in_the_firing_line thousands_of_shares thousands_of_views deepfake* is_spreading going_around
        makes_us_look_bad look_bad""",
    ),
    "viral": (
        """viral trendet trending explodier* aufregung* wut gerüchte_im_netz schlagzeilen kritik""",
        """viral trending blowing_up exploding headlines criticism""",
    ),
    # -- honesty about one's employer ----------------------------------------------------------------------
    "undisclosed": (
        """anonym* inkognito pseudonym* zweitaccount* zweitkonto* fakeprofil* fake_profil* verschweig*
        verheimlich* verdeckt* heimlich* undercover weglassen_dass""",
        """anonymous* anonymously incognito pseudonym* sock_puppet* sockpuppet* astroturf* burner_account*
        second_account fake_account* fake_profile* undercover covert* secretly leave_out_the_work
        leave_out_that""",
    ),
    "review": (
        """bewertung* rezension* sterne fünf_sterne* sternebewertung* kununu glassdoor trustpilot
        erfahrungsbericht* testbericht* app_store google_bewertung*""",
        """review reviews rating* stars five_star* 5_star glassdoor kununu trustpilot yelp tripadvisor
        testimonial* app_store""",
    ),
    "gift": (
        """geschenk* geschenkt* gratis kostenlos* gesponsert* bezahlt* honorar* provision* gutschein*
        rabattcode* freikarte* freiticket* leihen ausleihen geliehen leihgabe* zur_verfügung_gestellt
        werbepartner* kooperation* affiliate* influencer* werbekennzeichnung* werbung""",
        """gift gifts gifted freebie* complimentary sponsored paid fee commission* voucher* discount_code*
        coupon* affiliate* lend lends lent loan loaned collab* influencer* advert* endorse* paid_partnership
        for_free free_ticket* free_product* free_stay free_trip free_pass free_sample*""",
    ),
    "employee_identity": (
        """arbeitgeber* beschäftigt* angestellt* arbeite_hier arbeite_bei bei_uns_arbeite wo_ich_arbeite
        dass_ich_hier transparenz offenlegen offenlegung kennzeichn* disclaimer bio profiltext werdegang*
        berufsalltag* arbeitsalltag* mein_job meinen_job meine_arbeit was_ich_mache was_ich_so_mache
        was_ich_+_mache dass_ich_+_arbeite wo_ich_+_arbeite ich_arbeite_bei als_mitarbeiter* meinen_arbeitgeber
        angefangen neuen_job neuer_job erste_woche ersten_woche erster_arbeitstag jobstart seit_+_jahren
        empfehl* weiterempfehl*""",
        """my_employer our_employer i_work_here work_here work_at works_here where_i_work as_an_employee
        new_job first_week first_day joined started_at started_here years_at years_here recommend*
        disclos* transparen*
        disclaimer* bio my_job my_work my_role what_i_do day_job career_story that_i_+_work where_i_+_work
        i_work_for i_work_at my_employer""",
    ),
    "disclose_employment": (
        """dass_ich_+_arbeite dass_ich_+_angestellt dass_ich_+_beschäftigt wo_ich_arbeite wo_ich_+_arbeite
        wo_ich_+_angestellt ich_arbeite_bei arbeitgeber_+_nennen arbeitgeber_+_angeben arbeitgeber_+_erwähnen
        erwähnen_+_arbeite angeben_+_arbeite""",
        """that_i_+_work where_i_work where_i_+_work i_work_here i_work_for i_work_at mention_+_employer
        say_+_employee say_i_+_work who_my_employer_is that_i_am_an_employee i_m_a_+_employee i_am_a_+_employee
        i_m_an_employee as_an_employee as_a_+_employee saying_i_m_+_employee""",
    ),
    "opinion": (
        """meinung* ansicht* persönliche_sicht meine_sicht fachthem* branchenthem* trend trends expertise
        fachwissen""",
        """opinion* my_view my_views personal_view views_are_my_own thought_leadership expertise insight*
        trend trends""",
    ),
    # -- other people's material -----------------------------------------------------------------------
    "third_party_media": (
        """urheberrecht* bildrecht* nutzungsrecht* lizenz* lizenzfrei* quellenangabe* stockfoto* getty
        shutterstock istock unsplash pixabay pexels meme* gif gifs cartoon* comic* karikatur* zeichentrick*
        filmfigur* comicfigur* zeichentrickfigur* minion* disney* pixar* marvel* pokemon* simpsons star_wars
        asterix snoopy mickey micky netflix* filmausschnitt* filmszene* trailer* sendung* fernsehbeitrag*
        kapitel* fachbuch* buch buchseite* zeitschrift* artikel* zeitungsartikel* studie* statista*
        infografik* grafik* illustration* schriftart* fotograf* fremde fremdes fremden fremder abfotografier*
        abgeschrieben abschreiben herunterladen heruntergeladen runterladen im_internet_gefunden""",
        """copyright* licence licences license licensed licensing royalty stock_photo* getty shutterstock
        istock unsplash pixabay pexels meme* gif gifs cartoon* comic* character characters minion* disney*
        pixar* marvel* pokemon* simpsons star_wars snoopy mickey netflix* movie* film_clip* tv_show* trailer*
        chapter* book books textbook* article* study studies statista* infographic* illustration* font*
        photographer* someone_else* other_people another_company their_website supplier_website downloaded
        download found_online found_on""",
    ),
    "foreign_media": (
        """stockfoto* getty shutterstock istock meme* cartoon* comic* karikatur* zeichentrick* filmfigur*
        comicfigur* zeichentrickfigur* minion* disney* pixar* marvel* pokemon* simpsons star_wars asterix
        snoopy mickey micky netflix* filmausschnitt* filmszene* fernsehbeitrag* abfotografier*
        im_internet_gefunden fremdes_foto fremde_fotos fremdes_bild fremde_bilder anderer_firmen anderen_firmen
        fremder_firmen von_der_website_des von_der_webseite_des harry_potter gartner* forrester mckinsey
        wikipedia wikimedia creative_commons flickr""",
        """stock_photo* getty shutterstock istock meme* cartoon* comic* minion* disney* pixar* marvel*
        pokemon* simpsons star_wars snoopy mickey netflix* film_clip* movie_clip* movie_scene* someone_else*
        their_website supplier_website found_online other_companies another_company from_the_website_of
        harry_potter hogwarts lord_of_the_rings game_of_thrones batman superman spiderman spider_man star_trek
        james_bond mission_impossible barbie minecraft super_mario gartner forrester mckinsey wikipedia
        wikimedia creative_commons flickr""",
    ),
    "music": (
        """musik* lied lieder song songs in_den_charts aus_den_charts soundtrack* hintergrundmusik* titelmusik* spotify drunterlegen
        darunterlegen unterlegen untermalen künstler* sänger* sängerin* charthit* sommerhit* nummer_hit
        chart_hit""",
        """music* song songs soundtrack* the_charts spotify artist artists singer* tune tunes hit_song*
        chart_hit""",
    ),
    "brand_assets": (
        """brand_portal brandportal markenportal bilddatenbank* mediathek* pressebereich* pressekit*
        presse_kit pressemappe* pressefoto* pressebild* corporate_design vorlage vorlagen""",
        """brand_portal press_kit media_kit media_library image_library asset_library press_photo*
        brand_assets corporate_design template templates official_photo* official_image* audio_library
        music_library royalty_free""",
    ),
    "logo": (
        """logo logos markenzeichen* markenlogo* fotomontage* montage verfremdet umgestaltet photoshop*""",
        """logo logos trademark* brand_mark montage photoshop* altered remix*""",
    ),
    # -- people and their data -------------------------------------------------------------------------
    "people": (
        """kollege kollegen kollegin kolleginnen gesicht gesichter leute personen besucher* gäste kinder kind
        schüler* schulklasse* azubis azubi auszubildende* praktikant* teilnehmer* patient* bewohner* publikum
        menschenmenge* belegschaft familie* familien""",
        """colleague* coworker* co_worker* teammate* faces face people visitor* guests kids children child
        pupils students apprentice* intern interns trainee* new_hires newcomer* participant* attendee*
        patient* resident* crowd family families""",
    ),
    "media_capture": (
        """foto fotos bild bilder video videos selfie* aufnahme* fotografier* gefilmt filmen mitschnitt*
        aufzeichnung* screenshot* bildschirmfoto* sprachnachricht* audio boomerang reel reels""",
        """photo* picture* pic pics image images video* selfie* footage recording* filmed snap snapped
        screenshot* screen_grab voice_note* audio boomerang reel reels""",
    ),
    "personal_data": (
        """privatadresse* wohnadresse* adresse telefonnummer* handynummer* mobilnummer* e_mail_adresse*
        geburtsdatum* gehalt gehälter lohn krank krankheit* krankmeldung* krankgeschrieben diagnose*
        gesundheit* schwanger* noten zeugnis* prüfungsergebnis* bestanden durchgefallen durchgerasselt
        personalakte* bewerbung* lebenslauf* nummernschild* zimmernummer* privatleben sexuell* religion*""",
        """home_address private_address email_address* phone_number* mobile_number* birth_date salary salaries
        sick sickness illness* diagnos* health pregnan* grades exam_results test_results passed failed fired
        disciplinary personnel_file job_application* resume cv license_plate* room_number private_life""",
    ),
    "tagging": (
        """markier* taggen getaggt namentlich verlinke_ihn verlinke_sie shoutout""",
        """tag tagging tagged shout_out shoutout""",
    ),
    "consent": (
        """einverständnis* einwilligung* zustimmung* dsgvo datenschutz*""",
        """consent* gdpr privacy""",
    ),
    # -- tone ----------------------------------------------------------------------
    "insult": (
        """beleidig* beschimpf* idiot* vollidiot* depp* trottel* versager* lächerlich* klappe ahnungslos*
        inkompetent* loser boomer schneeflocke* heulsuse* zurückpöbeln pöbel* frechheit frech* patzig*
        zurechtweisen fertigmachen""",
        """insult* idiot* moron* loser* clown* pathetic clueless incompetent snowflake boomer shut_up get_lost
        cry_somewhere whining whiner* clap_back fire_back hit_back snarky""",
    ),
    "competitor": (
        """konkurrenz* konkurrent* wettbewerber* mitbewerber* andere_anbieter anderen_anbieter
        marktbegleiter*""",
        """competitor* rival* other_vendors other_providers""",
    ),
    "discrimination": (
        """rassis* sexis* diskriminier* frauen ausländer* migrant* flüchtling* geflüchtete* muslim* juden
        jüdisch* christen schwul* lesb* trans behindert* behinderung* alte_leute ältere_bewerber
        ältere_menschen dicke_menschen hautfarbe* herkunft* religion* geschlecht* homophob* antisemit*
        witz_über witze_über akzent* dialekt*""",
        """racis* sexis* discriminat* women woman foreigner* migrant* refugee* immigrant* muslim* jew jews
        jewish christian* gay lesbian* trans disabled disabilit* old_people older_people elderly fat
        skin_colour skin_color ethnic* religio* gender homophob* antisemit* joke_about jokes_about accent*
        dialect* making_fun_of make_fun_of""",
    ),
    "politics": (
        """politik* politisch* partei* wahl wahlen wiederwahl* wahlkampf* bürgermeister* landrat* regierung*
        minister* kanzler* präsident* parlament* bundestag* landtag* abgeordnete* demonstration* petition*
        volksentscheid* krieg*""",
        """politic* election* re_election reelection mayor* governor* government* minister* chancellor*
        president* parliament* congress senator* vote voting referendum petition* rally""",
    ),
    "polite": (
        """sachlich* höflich* freundlich* respektvoll* richtigstellen richtigstellung klarstellen korrigieren
        deeskalier* ruhig""",
        """polite* politely friendly respectful* factual* correct correcting correction clarify calmly calm
        de_escalate""",
    ),
    # -- accounts and pages ------------------------------------------------------------
    "account": (
        """konto konten account* *account *accounts *konto *konten *kanal *kanäle playlist* seite kanal kanäle
        community fokusseite* unterseite* fanseite* fanpage*
        auftritt* domain* subreddit* discord telegram threads mastodon bluesky substack""",
        """account* page pages channel* community communit* showcase_page playlist* domain* subreddit* discord
        telegram threads mastodon bluesky substack""",
    ),
    "create": (
        """anlegen angelegt erstellen erstellt gründen gegründet einrichten eingerichtet aufmachen registrieren
        registriert ins_leben_rufen""",
        """create created creating set_up setting_up register registered spin_up""",
    ),
    "branding": (
        """firmenname* markenname* firmenlogo* markenfarben* firmenfarben* profilbild* titelbild* banner*
        wasserzeichen* benutzername* nutzername* anzeigename* verifizier* blauer_haken""",
        """company_name brand_name company_logo brand_colours brand_colors profile_picture* profile_photo*
        header_image* cover_photo* banner* watermark* username* display_name twitter_handle
        instagram_handle verified verification blue_check blue_tick""",
    ),
    "admin": (
        """admin* administrator* passwort* zugang zugänge zugangsdaten* login* zugriff* berechtigung*
        inhaber* eigentümer* verwaltet verwalten betreut betreuen""",
        """admin* administrator* password* access credentials login* permissions owner* manages runs_our
        manage_the""",
    ),
    "impersonation": (
        """fake gefälscht* fälschung* inoffiziell* nachgemacht* gibt_sich_aus""",
        """fake impersonat* unofficial copycat* pretending_to_be_us fraudulent""",
    ),
    # -- time ----------------------------------------------------------------
    "work_hours": (
        """arbeitszeit* dienstzeit* schicht* nachtschicht* frühschicht* spätschicht* pause pausen
        mittagspause* kaffeepause* pausenraum* homeoffice* gleitzeit* zeiterfassung* stundenzettel*
        überstunden* feierabend* wochenende* urlaub* freizeit* arbeitstag* arbeitsbeginn morgens abends
        zwischendurch nebenbei dienstreise* im_büro bei_der_arbeit stunden minuten zeit_buchen rufbereitschaft*
        bereitschaft* nachts nachtdienst* spätdienst* frühdienst*
        eigene_zeit eigenen_zeit""",
        """working_hours work_hours work_time working_time shift night_shift break breaks lunch_break
        coffee_break home_office wfh flexitime flextime timesheet* time_tracking booking_code overtime
        after_hours weekend* vacation holiday* free_time workday at_work on_the_clock between_meetings
        commute minutes hours own_time company_time on_call on_duty night_duty clock_out clock_in""",
    ),
    "time_effort": (
        """ganzen_tag ganzen_nachmittag ganzen_samstag ganzen_messetag stundenlang tagelang ganztägig*
        live_berichten live_streamen live_gehen liveticker* live_tweet* livestream* instagram_live vlog*
        videoserie* videoreihe* drehen live_begleit* von_morgens_bis_abends""",
        """all_day whole_day whole_afternoon entire_day full_day for_hours hours_long go_live live_tweet*
        livetweet* live_coverage livestream* vlog* video_series film_a make_videos""",
    ),
    # -- taking part -------------------------------------------------------------------
    "obligation": (
        """pflicht* verpflichtet* verpflichtend* zwang* gezwungen unter_druck druck_gesetzt druck_machen
        erwartet_dass stellenbeschreibung* arbeitsanweisung* freiwillig* zielvereinbarung* jahresziel*
        anordnen angeordnet okr okrs schlechtes_gewissen vorbild* mit_gutem_beispiel mindestanzahl* mindestens
        soll_+_posten sollen_+_posten""",
        """mandatory obligat* compulsory forced force_me forcing pressure* pressured expected_to
        job_description quota* voluntar* opt_in opt_out okr okrs at_least keep_track keeps_track
        feel_guilty lead_by_example minimum_number minimum_of supposed_to""",
    ),
    "consequence": (
        """nachteil* benachteilig* konsequenz* beurteilung* leistungsbeurteilung* mitarbeitergespräch*
        beförderung* befördert* prämie* gehaltserhöhung* ärger probleme_bekommen sorgen rangliste*
        bestenliste* ranking* belohnung* top_botschafter ausgewertet auswertung* überwacht kontrolliert
        gezählt anreiz* vorteile""",
        """disadvantage* consequence* performance_review appraisal* promotion* promoted trouble worried
        worry punish* ranking* leaderboard* top_ambassadors reward* held_against hold_it_against perks
        incentive* benefits get_anything being_monitored are_+_monitored is_+_monitored get_monitored monitored_by keeps_track track_who tracks_who tracking_who""",
    ),
    "program": (
        """botschafterprogramm* botschafter_programm* markenbotschafter* botschafter programm mitmachen
        teilnehmen teilnahme angemeldet anmelden""",
        """ambassador* ambassador_program* signed_up sign_up participat*""",
    ),
    "program_exit": (
        """aussteigen austreten abmelden austragen rauskommen pausieren keine_lust kein_bock keinen_bock
        schüchtern* introvertiert* unwohl nichts_posten nichts_teilen nicht_mehr_mitmachen raus_aus_dem_programm
        aus_dem_programm""",
        """opt_out opting_out drop_out get_out leave_the_program quit_the_program sign_off unsubscribe
        withdraw lost_interest take_a_break shy introvert* uncomfortable out_of_the_program""",
    ),
    # -- contacts and leaving --------------------------------------------------------------------
    "leaving": (
        """kündige kündigung* gekündigt austritt* weggang* ausscheiden* ausgeschieden* jobwechsel* job_wechseln
        arbeitgeber_wechseln rente ruhestand* renteneintritt* letzter_arbeitstag letzten_arbeitstag
        firma_verlass* unternehmen_verlass* verlasse_die verlasse_das versetzt versetzung* elternzeit*
        sabbatical* neuer_arbeitgeber neuen_arbeitgeber wenn_ich_gehe bevor_ich_gehe alter_arbeitgeber
        alten_arbeitgeber ehemalige* ehemaliger_arbeitgeber freiberufl* freelance* zur_konkurrenz
        zu_einem_wettbewerber""",
        """resign* resignation quit_my_job quitting leave_the_company leaving_the_company leave_the_firm
        when_i_leave if_i_leave before_i_leave after_i_leave i_am_leaving leaver* retire* retirement
        notice_period last_day new_employer offboarding moving_on let_go laid_off parental_leave sabbatical former_employer
        old_employer ex_employer freelanc* go_to_a_competitor move_to_a_competitor join_a_competitor
        joining_a_competitor""",
    ),
    "network": (
        """kontakte kontakt follower* verbindungen vernetzt abonnenten fans""",
        """contacts contact follower* connection connections subscriber* fans""",
    ),
    "company_data": (
        """crm kundenliste* kundendaten* kundendatei* kundenkartei* adressliste* adressbuch* kontaktliste*
        verteiler verteilerliste* mailingliste* e_mail_liste* broadcast_liste* broadcastliste*
        teilnehmerliste* visitenkarte* datenbank* leads excel_liste* stammkunden* kundennummern*
        nummern_meiner_kunden handynummern_+_kunden telefonnummern_+_kunden leadscanner* lead_listen""",
        """crm customer_list* client_list* customer_data client_data contact_list* address_book mailing_list*
        distribution_list* broadcast_list* attendee_list* business_card* database* leads spreadsheet*
        lead_list* customer_phone_numbers customers_numbers numbers_of_+_customers lead_scanner*
        partner_contacts company_slack""",
    ),
    "ownership": (
        """gehören gehört gehöre eigentum behalten mitnehmen mitgenommen übertragen übergeben wer_bekommt
        zurückgeben zurückgegeben""",
        """belong* own owns ownership keep take_with_me who_gets hand_over give_back""",
    ),
}

# Concepts whose words alone are a finding (knowledge.findings): (finding name, strength). What the
# finding means (its verdict and topic) is the knowledge base's word, as for the detectors' patterns.
FINDINGS: dict[str, tuple[str, float]] = {
    "incident": ("crisis", 0.9),
    "outage": ("crisis", 0.8),
    "backlash": ("crisis", 0.8),
    "legal": ("legal", 0.8),
    "press": ("press_word", 0.7),
    "undisclosed": ("undisclosed", 0.8),
    "insult": ("insult_word", 0.6),
    "foreign_media": ("third_party_media", 0.8),
    # Cues, not risks: they point to what a question is about and never make an answer stricter.
    "obligation": ("obligation", 0.9),
    "consequence": ("obligation", 0.9),
    "program_exit": ("obligation", 0.9),
    "disclose_employment": ("disclosed", 0.4),
    "music": ("third_party_media", 0.8),
}

# Harmless senses: phrases in which a word of a concept means something else ("fire drill" is an
# exercise, "fired half the team" a dismissal, "Bank" in "auf der Bank" a bench). A hit of the concept
# on a word inside one of these phrases is no hit. Same entry syntax as the concepts, phrases only.
SENSES: dict[str, tuple[str, str]] = {
    "incident": (
        """feueralarm_probe feuerwehrübung* brandschutzübung* räumungsübung* feuer_und_flamme feuer_gefangen
        gefeuert_+_worden""",
        """fire_drill* fire_drills fire_alarm_test* fire_safety_training fired_half fired_him fired_her fired_them
        fired_me fired_us fired_people fired_staff fired_employees fired_workers fired_colleagues fired_the
        fired_our fired_my fired_two fired_three fired_several fired_some fired_all got_fired get_fired was_fired
        were_fired been_fired getting_fired being_fired on_fire_with fired_up""",
    ),
}

_MIN_AFFIX = 4  # a shorter prefix or part finds too many words by accident
_HITS_CACHE = 64


def normalise(word: str) -> str:
    """Folded, and umlauts typed as ae/oe/ue read as umlauts, so both spellings meet."""
    w = fold(word.lower())
    return w.replace("ae", "a").replace("oe", "o").replace("ue", "u")


@dataclass(frozen=True)
class Hit:
    concept: str
    word: str


class Lexicon:
    """Which concepts a word or a text belongs to; every lookup is cached per word."""

    def __init__(
        self, concepts: dict[str, tuple[str, str]] | None = None, senses: dict[str, tuple[str, str]] | None = None
    ) -> None:
        self.concepts = concepts if concepts is not None else CONCEPTS
        # Phrases (normalised parts) in which a concept's words mean something harmless, by first part.
        self._senses: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._sense_prefixes: list[tuple[tuple[str, ...], str]] = []
        for cid, (de, en) in (SENSES if senses is None else senses).items():
            for entry in f"{de} {en}".split():
                entry = entry.replace("-", "_").replace("'s", "")
                parts = tuple(normalise(p) for p in entry.split("_") if p)
                if parts[0].endswith("*"):
                    self._sense_prefixes.append((parts, cid))
                else:
                    self._senses.setdefault(parts[0], []).append((parts, cid))
        self._stemmers = {"de": Stemmer.Stemmer("german"), "en": Stemmer.Stemmer("english")}
        self._exact: dict[str, dict[str, set[str]]] = {"de": {}, "en": {}}
        self._prefix: dict[str, set[str]] = {}
        self._suffix: dict[str, set[str]] = {}
        self._infix: dict[str, set[str]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for cid, (de, en) in self.concepts.items():
            for lang, entries in (("de", de), ("en", en)):
                for entry in entries.split():
                    self._add(cid, lang, entry)
        self._word_cache: dict[tuple[str, str | None, bool], frozenset[str]] = {}
        self._hits_cache: dict[tuple[tuple[str, ...], str | None, bool], list[Hit]] = {}
        self._norm_cache: dict[str, str] = {}

    def _normalise(self, word: str) -> str:
        n = self._norm_cache.get(word)
        if n is None:
            n = normalise(word)
            if len(self._norm_cache) < 100_000:
                self._norm_cache[word] = n
        return n

    def _stem(self, lang: str, word: str) -> str:
        return normalise(self._stemmers[lang].stemWord(fold(word.lower())))

    def _add(self, cid: str, lang: str, entry: str) -> None:
        # Chat text splits at hyphens and drops a possessive 's: so do the entries.
        entry = entry.replace("-", "_").replace("'s", "")
        if "_" in entry.strip("_"):
            parts = tuple(normalise(p) for p in entry.split("_") if p)
            self._phrases.setdefault(parts[0].rstrip("*"), []).append((parts, cid))
            return
        starts, ends = entry.startswith("*"), entry.endswith("*")
        core = normalise(entry.strip("*"))
        if starts and ends:
            self._infix.setdefault(core, set()).add(cid)
        elif starts:
            self._suffix.setdefault(core, set()).add(cid)
        elif ends:
            self._prefix.setdefault(core, set()).add(cid)
        else:
            self._exact[lang].setdefault(self._stem(lang, core), set()).add(cid)
            # The entry's own form too: stemmers treat some names and loan words unevenly.
            self._exact[lang].setdefault(core, set()).add(cid)

    def of_word(self, word: str, lang: str | None = None, strict: bool = False) -> frozenset[str]:
        """The concepts of one lower-case word (no phrases).

        Whole-word entries are looked up in the text's language first: "intern"
        is internal in German and a trainee in English, "tote" the dead in
        German and a bag in English. The other language's entries count only
        when the first has none (mixed texts), and never when ``strict``.
        """
        key = (word, lang, strict)
        hit = self._word_cache.get(key)
        if hit is not None:
            return hit
        if word in _STOP or len(word) < 3:
            return frozenset()  # "die" is no death, "will" no testament
        w = self._normalise(word)
        found: set[str] = set()
        order = (lang, "en" if lang == "de" else "de") if lang in ("de", "en") else ("de", "en")
        for n_lang, lng in enumerate(order):
            if n_lang and ((found and lang) or strict):
                break
            found |= self._exact[lng].get(self._stem(lng, word), set())
            found |= self._exact[lng].get(w, set())
        n = len(w)
        for i in range(_MIN_AFFIX, n + 1):
            found |= self._prefix.get(w[:i], set())
        for i in range(0, n - _MIN_AFFIX + 1):
            found |= self._suffix.get(w[i:], set())
        if n > _MIN_AFFIX + 1 and self._infix:
            for i in range(0, n - _MIN_AFFIX + 1):
                for j in range(i + _MIN_AFFIX, n + 1):
                    found |= self._infix.get(w[i:j], set())
        out = frozenset(found)
        if len(self._word_cache) < 100_000:
            self._word_cache[key] = out
        return out

    def hits(self, ws: list[str], lang: str | None = None, strict: bool = False) -> list[Hit]:
        """Every concept in a list of lower-case words, with the words that carry it, phrases included."""
        key = (tuple(ws), lang, strict)
        cached = self._hits_cache.get(key)
        if cached is not None:
            return cached
        out = self._hits(ws, lang, strict)
        # One answer asks about the same text several times (retrieval, support, detectors,
        # the go rule); a small cache of the last texts makes that one lookup.
        if len(self._hits_cache) >= _HITS_CACHE:
            self._hits_cache.clear()  # atomic, unlike evicting one entry while another thread reads
        self._hits_cache[key] = out
        return out

    def _hits(self, ws: list[str], lang: str | None, strict: bool) -> list[Hit]:
        out: list[Hit] = []
        norm = [self._normalise(w) for w in ws]
        harmless = self._harmless(norm)
        for i, w in enumerate(ws):
            for cid in self.of_word(w, lang, strict):
                if (i, cid) not in harmless:
                    out.append(Hit(cid, w))
            for parts, cid in self._phrases.get(norm[i], ()):
                if _phrase_at(norm, i, parts):
                    out.append(Hit(cid, " ".join(ws[i : i + len(parts)])))
        return out

    def _harmless(self, norm: list[str]) -> set[tuple[int, str]]:
        """(word index, concept) pairs where the word stands in a harmless sense of the concept."""
        out: set[tuple[int, str]] = set()
        for i, w in enumerate(norm):
            candidates = self._senses.get(w, [])
            if self._sense_prefixes:
                candidates = candidates + [c for c in self._sense_prefixes if w.startswith(c[0][0][:-1])]
            for parts, cid in candidates:
                if _phrase_at(norm, i, parts):
                    span = len(parts) + (6 if "+" in parts else 0)
                    out.update((j, cid) for j in range(i, min(i + span, len(norm))))
        return out

    def of_words(self, ws: list[str], lang: str | None = None) -> list[str]:
        """The distinct concepts of a list of words, in order of appearance."""
        return list(dict.fromkeys(h.concept for h in self.hits(ws, lang)))


def _phrase_at(norm: list[str], i: int, parts: tuple[str, ...]) -> bool:
    """Whether the phrase starts at word ``i``; a ``+`` part stands for up to six words of any kind."""
    if not parts:
        return True
    p = parts[0]
    if p == "+":
        return any(_phrase_at(norm, i + skip, parts[1:]) for skip in range(0, 7))
    if i >= len(norm):
        return False
    w = norm[i]
    if not (w.startswith(p[:-1]) if p.endswith("*") else w == p):
        return False
    return _phrase_at(norm, i + 1, parts[1:])


_DEFAULT: Lexicon | None = None


def default_lexicon() -> Lexicon:
    """The built-in lexicon, built once per process (it costs a few milliseconds)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Lexicon()
    return _DEFAULT
