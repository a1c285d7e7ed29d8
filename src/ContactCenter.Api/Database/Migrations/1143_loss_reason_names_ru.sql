-- Loss reasons in Russian beside the English name, as lead statuses and junk reasons have (1113): the seeded ones
-- read in English on Russian screens (an outside review, session 28). A reason an admin adds has no Russian name
-- until one is given; the web app then shows the name as typed.
alter table loss_reasons add column if not exists name_ru text check (char_length(name_ru) between 1 and 200);
update loss_reasons set name_ru = case name
        when 'Too expensive' then 'Слишком дорого'
        when 'Chose a competitor' then 'Выбрали конкурента'
        when 'No response' then 'Нет ответа'
        when 'Not a fit' then 'Не подходит'
    end
where name_ru is null;
